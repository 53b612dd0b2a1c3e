-- Give up a claim (the upstream failed, so the caller may retry), only while we still own the key.
-- KEYS[1] record key; ARGV[1] owner id.
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current)['owner'] ~= ARGV[1] then
  return 0, true
end
redis.call('DEL', KEYS[1])
return 1, true
