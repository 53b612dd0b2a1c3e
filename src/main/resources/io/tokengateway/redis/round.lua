-- A round: several scripts ("parts") run in one round trip, atomically, in order, each on its own slice of
-- KEYS and ARGV. A part returns its reply and whether the round goes on.
-- ARGV[1] 'stop' (admission: a part that says no, a limit reached or a key already held, or that fails, ends
-- the round; the parts after it do not run) or 'each' (settlement: every part runs, whatever the others did);
-- ARGV[2] the number of parts n; ARGV[3 .. 2 + 3n], for each part: its name, its key count, its argument
-- count; then the parts' arguments, one part after the other.
-- Returns one reply per part that ran, in order; a part that failed has its error as its reply (what it and
-- the parts before it wrote stays written, as with any script that fails).
local each = ARGV[1] == 'each'
local n = tonumber(ARGV[2])
local next_key, next_arg = 1, 3 + 3 * n
local replies = {}
for i = 1, n do
  local at = 3 + 3 * (i - 1)
  local name, key_count, arg_count = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local ok, reply, go_on = pcall(PARTS[name],
    {unpack(KEYS, next_key, next_key + key_count - 1)},
    {unpack(ARGV, next_arg, next_arg + arg_count - 1)})
  if not ok then
    local message = type(reply) == 'table' and reply.err or tostring(reply)
    if not string.match(message, '^[A-Z][A-Z_]+ ') then
      message = 'ERR ' .. message -- a Lua error, not Redis's: no error code of its own
    end
    reply, go_on = redis.error_reply(message), false
  elseif not reply or type(go_on) ~= 'boolean' then
    -- a nil would cut the array of replies short (a false reads as nil); a missing verdict would end the round
    -- unnoticed
    reply, go_on = redis.error_reply('ERR the part did not return a reply and whether the round goes on'), false
  end
  replies[i] = reply
  if not (go_on or each) then
    break
  end
  next_key, next_arg = next_key + key_count, next_arg + arg_count
end
return replies
