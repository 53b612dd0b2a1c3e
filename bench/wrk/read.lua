-- GET read-token with the bench bearer token. BENCH_RATE (requests/s over all connections) paces it.
local token = os.getenv("BENCH_TOKEN")
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "1")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
function delay()
  if rate > 0 then return 1000 * connections / rate end
  return 0
end
dofile(os.getenv("BENCH_DIR") .. "/wrk/report.lua")
