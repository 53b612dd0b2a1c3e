-- A round: several scripts ("parts") run in one round trip, atomically, in order, each on its own slice of
-- KEYS and ARGV. A part returns its reply and whether the round goes on: a part that says no (a limit
-- reached, a key already held) ends the round, and the parts after it do not run.
-- ARGV[1] the number of parts n; ARGV[2 .. 1 + 3n], for each part: its name, its key count, its argument
-- count; then the parts' arguments, one part after the other.
-- Returns the replies of the parts that ran, in order. A part that fails ends the round with its error, the
-- part's name appended (what the parts before it wrote stays written, as with any script that fails).
local n = tonumber(ARGV[1])
local next_key, next_arg = 1, 2 + 3 * n
local replies = {}
for i = 1, n do
  local at = 2 + 3 * (i - 1)
  local name, key_count, arg_count = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local ok, reply, go_on = pcall(PARTS[name],
    {unpack(KEYS, next_key, next_key + key_count - 1)},
    {unpack(ARGV, next_arg, next_arg + arg_count - 1)})
  if not ok then
    local message = type(reply) == 'table' and reply.err or tostring(reply)
    if not string.match(message, '^[A-Z][A-Z_]+ ') then
      message = 'ERR ' .. message -- a Lua error, not Redis's: no error code of its own
    end
    return redis.error_reply(message .. ' [part ' .. name .. ']')
  end
  replies[i] = reply
  if not go_on then
    break
  end
  next_key, next_arg = next_key + key_count, next_arg + arg_count
end
return replies
