-- Is the merchant held because the provider answered 429 for it a moment ago (on any replica)?
-- KEYS[1]  tg:hold:{merchant}, its expiry (PX, Redis server time) the end of the provider's Retry-After
-- Returns the hold's time left in ms (0: not held), and whether the round goes on: a held request ends the
-- round, so it consumes no rate budget, claims no idempotency key and reserves no amount.
local left = redis.call('PTTL', KEYS[1])
if left > 0 then
  return left, false
end
return 0, true
