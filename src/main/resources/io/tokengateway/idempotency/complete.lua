-- Replace our pending record with the finished one, only while we still own the key: an owner whose
-- lease expired must never overwrite a successor's record.
-- KEYS[1] record key; ARGV[1] owner id; ARGV[2] finished record (JSON); ARGV[3] retention in ms.
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current)['owner'] ~= ARGV[1] then
  return 0, true
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1, true
