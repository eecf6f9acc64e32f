-- wrk script: authenticated GET requests. The token comes from the environment so that it
-- never lands in a file: BENCH_TOKEN=<access token> wrk -s bench/auth.lua <url>
local token = os.getenv("BENCH_TOKEN")
if token == nil or token == "" then
  error("BENCH_TOKEN is not set")
end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"
