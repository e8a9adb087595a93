-- wrk script of the benchmarks: prints one machine-readable line when done.
-- With WRK_PATHS set (space-separated paths), requests cycle through them.

local paths = {}
for path in string.gmatch(os.getenv("WRK_PATHS") or "", "%S+") do
  paths[#paths + 1] = path
end

if #paths > 0 then
  local i = 0
  request = function()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d"
      .. " connect=%d read=%d write=%d status=%d timeout=%d bytes=%d mean_us=%d\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout, summary.bytes, latency.mean))
end
