-- POST create-order (10 lines) with a unique idempotency key per request.
local token = os.getenv("BENCH_TOKEN")
local file = io.open(os.getenv("BENCH_WORK") .. "/order.json")
local body = file:read("*a")
file:close()
local counter = 0
-- Each wrk thread has its own Lua state; a table's address tells them apart, the time tells runs apart.
local prefix = tostring({}):match("0x(%x+)") .. "-" .. tostring(os.time())
function request()
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Klarna-Idempotency-Key"] = "bench-" .. prefix .. "-" .. counter,
  }, body)
end
dofile(os.getenv("BENCH_DIR") .. "/wrk/report.lua")
