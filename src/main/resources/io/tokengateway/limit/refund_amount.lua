-- Give back a reservation when the provider definitely did not create the order.
-- KEYS[1] hash of buckets; KEYS[2] (optional) the idempotency key's reservation, which the refund settles:
-- when it is gone, the reservation was already settled and nothing is given back twice.
-- ARGV[1] bucket the amount was reserved in; ARGV[2] amount.
-- A bucket that has already left the window is not touched.
if #KEYS == 2 and redis.call('DEL', KEYS[2]) == 0 then
  return 0, true
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
  return 1, true
end
return 0, true
