-- GCRA (generic cell rate algorithm) on Redis server time, so every replica shares one clock and one budget.
-- KEYS[1]  theoretical arrival time (TAT) of the merchant, in microseconds
-- ARGV[1]  emission interval T in microseconds (1 s / rate)
-- ARGV[2]  burst capacity B (requests that may arrive at once)
-- ARGV[3]  1 when the merchant is in shadow mode: a refusal is counted but does not end the round
-- Returns {allowed (1/0), remaining, retry_after_us, reset_us}, and whether the round goes on.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2]) * interval
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then
  tat = now
end
local new_tat = tat + interval
local ahead = new_tat - now
if ahead > capacity then
  return {0, 0, ahead - capacity, tat - now}, ARGV[3] == '1'
end
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX', math.ceil(ahead / 1000) + 1000)
return {1, math.floor((capacity - ahead) / interval), 0, ahead}, true
