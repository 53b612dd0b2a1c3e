-- A part for testing rounds: appends ARGV[1] to the list KEYS[1]; the round goes on unless ARGV[2] is 'stop'.
-- Returns the list's length.
return redis.call('RPUSH', KEYS[1], ARGV[1]), ARGV[2] ~= 'stop'
