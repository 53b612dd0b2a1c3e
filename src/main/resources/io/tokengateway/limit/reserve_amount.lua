-- Reserve an order amount against a merchant's rolling 24 h total for one currency.
-- The window is kept as 10-minute buckets in one hash (field = bucket index, value = amount); the sum
-- covers the current bucket and the 144 before it, so the window is 24 h to 24 h 10 min: never lenient.
-- With an idempotency key the reservation belongs to merchant + key (KEYS[2] holds 'bucket:amount:fingerprint'):
-- a retry of the same order (same fingerprint: operation, customer token, body) with that key, after an
-- attempt whose outcome was unknown, reuses it instead of reserving again. Another order under the same key
-- reserves afresh; the earlier reservation then stays counted (that order may exist).
-- KEYS[1] hash of buckets; KEYS[2] (optional) the key's reservation
-- ARGV[1] amount; ARGV[2] limit; ARGV[3] 1 to reserve even when over (shadow mode); ARGV[4] reservation lifetime, ms;
-- ARGV[5] the order's fingerprint
-- Returns {reserved (1/0), bucket, total before this order, reused (1/0), amount reserved}, and whether the
-- round goes on (not past an order refused by the limit).
if #KEYS == 2 then
  local held = redis.call('GET', KEYS[2])
  if held then
    local first = string.find(held, ':', 1, true)
    local second = string.find(held, ':', first + 1, true)
    if string.sub(held, second + 1) == ARGV[5] then
      return {1, tonumber(string.sub(held, 1, first - 1)), 0, 1, tonumber(string.sub(held, first + 1, second - 1))}, true
    end
  end
end
local bucket_seconds = 600
local buckets = 144
local time = redis.call('TIME')
local current = math.floor(tonumber(time[1]) / bucket_seconds)
local oldest = current - buckets
local total = 0
local fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local index = tonumber(fields[i])
  if index < oldest then
    redis.call('HDEL', KEYS[1], fields[i])
  else
    total = total + tonumber(fields[i + 1])
  end
end
local amount = tonumber(ARGV[1])
if total + amount > tonumber(ARGV[2]) and ARGV[3] ~= '1' then
  return {0, current, total, 0, 0}, false
end
redis.call('HINCRBY', KEYS[1], current, amount)
redis.call('EXPIRE', KEYS[1], (buckets + 2) * bucket_seconds)
if #KEYS == 2 then
  redis.call('SET', KEYS[2], current .. ':' .. ARGV[1] .. ':' .. ARGV[5], 'PX', ARGV[4])
end
return {1, current, total, 0, amount}, true
