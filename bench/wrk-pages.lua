-- wrk script of bench/scale.sh: every page of a list once, spread over the
-- threads. WRK_PAGES names a file of "HOST PATH" lines; thread k of n asks
-- lines k, k + n, k + 2n, … with each line's Host header. When its share
-- is asked, a thread creates the file WRK_DONE.k and asks for its last page
-- again until wrk ends (the script interrupts wrk once every thread is
-- done: wrk itself only ends after its duration). Prints one
-- machine-readable line when done, as wrk.lua does.

local count = 0

setup = function(thread)
  count = count + 1
  thread:set("id", count)
end

local lines = nil
local next_line = 0
local last_host, last_path = nil, nil

init = function(args)
  local step = tonumber(os.getenv("WRK_THREADS") or "1")
  lines = {}
  local n = 0
  for line in io.lines(os.getenv("WRK_PAGES")) do
    n = n + 1
    if (n - id) % step == 0 then
      lines[#lines + 1] = line
    end
  end
  next_line = 0
end

request = function()
  next_line = next_line + 1
  if next_line > #lines then
    if next_line == #lines + 1 then
      io.open(os.getenv("WRK_DONE") .. "." .. id, "w"):close()
    end
    next_line = #lines + 2
    return wrk.format("GET", last_path, { Host = last_host })
  end
  last_host, last_path = string.match(lines[next_line], "^(%S+) (%S+)$")
  return wrk.format("GET", last_path, { Host = last_host })
end

-- The machine-readable line when done: wrk.lua's (which asks nothing of
-- its own without WRK_PATHS).
dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "./") .. "wrk.lua")
