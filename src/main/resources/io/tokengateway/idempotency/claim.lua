-- Claim an idempotency key: one atomic SET NX PX holding the pending record (with its owner id).
-- KEYS[1] record key; ARGV[1] pending record (JSON); ARGV[2] lease in ms.
-- Returns {1} when claimed, or {0, existing record} when the key is already taken; the round goes on only
-- for a claim won (the amount of a replayed order is not reserved again).
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1}, true
end
return {0, redis.call('GET', KEYS[1])}, false
