-- wrk script of scripts/bench-sun.sh: GETs the secure-tap links of a file, each once, in the file's order.
-- The file (SUN_PATHS, one path per line) lists every chip's link for counter 1, then for counter 2, …; with T wrk
-- threads, thread k takes lines k, k+T, k+2T, …, so no two threads send the same link and each chip's counters go
-- out in increasing order (SUN_THREADS must be wrk's -t). Past the end a thread starts again (those taps are
-- replays); SUN_OUT gets how many times a thread did, "wrapped N" (0: every link was sent at most once).
local paths = {}
for line in io.lines(os.getenv("SUN_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("first", #threads)
end

function init(args)
  step = tonumber(os.getenv("SUN_THREADS"))
  next_path = first - step
  wrapped = 0
end

function request()
  next_path = next_path + step
  if next_path > #paths then
    next_path = first
    wrapped = wrapped + 1
  end
  return wrk.format(nil, paths[next_path])
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("wrapped") end
  local out = assert(io.open(os.getenv("SUN_OUT"), "w"))
  out:write(string.format("wrapped %d\n", total))
  out:close()
end
