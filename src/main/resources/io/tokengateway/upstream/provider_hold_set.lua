-- Holds the merchant on every replica: the provider answered 429 for it.
-- KEYS[1]  tg:hold:{merchant}
-- ARGV[1]  how long, in ms (the provider's Retry-After, already capped); a later 429 sets it anew
-- Returns 1, and that the round goes on.
redis.call('SET', KEYS[1], '1', 'PX', tonumber(ARGV[1]))
return 1, true
