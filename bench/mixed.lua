-- wrk script: each request takes a random path from paths.txt (one per line) and the
-- responses are counted by status class across all threads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("PATHS_FILE")) do
    paths[#paths + 1] = line
  end
  counts = { ok = 0, redirect = 0, client = 0, server = 0, unavailable = 0 }
  math.randomseed(os.time() + #threads)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status == 503 then counts.unavailable = counts.unavailable + 1 end
  if status >= 500 then counts.server = counts.server + 1
  elseif status >= 400 then counts.client = counts.client + 1
  elseif status >= 300 then counts.redirect = counts.redirect + 1
  else counts.ok = counts.ok + 1 end
end

function done(summary, latency, requests)
  local total = { ok = 0, redirect = 0, client = 0, server = 0, unavailable = 0 }
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  io.write(string.format("RESULT requests=%d 2xx=%d 3xx=%d 4xx=%d 5xx=%d (503=%d) socket_errors=%d p50_ms=%.1f p99_ms=%.1f rps=%.0f\n",
    summary.requests, total.ok, total.redirect, total.client, total.server, total.unavailable,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
