-- Holds the merchant on every replica: the provider answered 429 for it.
-- KEYS[1]  tg:hold:{merchant}
-- ARGV[1]  how long, in ms (the provider's Retry-After, already capped)
-- A hold only ever grows: requests already on their way when the first 429 came back may get 429s of their own,
-- and a shorter (or absent) Retry-After on one of them must not cut short the provider's longer one.
-- Returns 1, and that the round goes on.
local wanted = tonumber(ARGV[1])
if redis.call('PTTL', KEYS[1]) < wanted then
  redis.call('SET', KEYS[1], '1', 'PX', wanted)
end
return 1, true
