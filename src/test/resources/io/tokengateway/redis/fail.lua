-- A part for testing rounds: reads KEYS[1] as a hash, which fails with WRONGTYPE when it holds a string.
redis.call('HGET', KEYS[1], 'field')
return 1, true
