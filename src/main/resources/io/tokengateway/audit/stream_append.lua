-- One batch of one writer's audit records, added to the stream at most once, atomically.
-- KEYS[1]: the stream. KEYS[2]: the seq of that writer's last record in the stream (same hash slot).
-- ARGV[1]: MINID below which entries are trimmed. ARGV[2]: how long KEYS[2] is kept (ms, the retention).
-- ARGV[3]: seq of the batch's first record. ARGV[4]: seq of its last record. ARGV[5..]: the records, in seq order.
-- A batch sent again because its first outcome was unknown finds its records already there and adds none of
-- them: a record is added only if its seq is past the writer's last one. Replies {added, last seq before}.
local last = tonumber(redis.call('GET', KEYS[2]) or '0')
local first = tonumber(ARGV[3])
-- A batch is sent whole, and again only after an unknown outcome, before anything newer: the writer's last seq
-- is before the batch (nothing of it here) or its last record (all of it). Anything else was not set by this
-- writer (or a batch said not run had run): skipping records under it would lose them unadmitted. Refused, before
-- any write, with a code of its own (a batch's error reply drops a leading ERR).
if last >= first and last ~= tonumber(ARGV[4]) then
  return redis.error_reply('AUDITSEQ writer ' .. KEYS[2] .. ' is at seq ' .. last .. ', inside or past the batch '
    .. ARGV[3] .. '-' .. ARGV[4])
end
local added = 0
for i = 5, #ARGV do
  if first + (i - 5) > last then
    redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'record', ARGV[i])
    added = added + 1
  end
end
if added > 0 then
  redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
end
return {added, last}
