-- Give back a reservation when the provider definitely did not create the order.
-- KEYS[1] hash of buckets; ARGV[1] bucket the amount was reserved in; ARGV[2] amount.
-- A bucket that has already left the window is not touched.
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], -tonumber(ARGV[2]))
  return 1
end
return 0
