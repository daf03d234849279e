-- wrk script of scripts/bench-reports.sh: every request POSTs one citizen report (urlencoded, as the form
-- sends it) to the URL wrk was given, with a form token fetched beforehand, and the 201s are counted, each one
-- a stored report. Environment:
--   REPORTS_TOKEN     the form token (valid 2 h);
--   REPORTS_ACTIVE_S  seconds of load; afterwards each connection waits instead of sending, so nothing is in
--                     flight when wrk stops and the stored count can equal the 201s exactly (default 9.5);
--   REPORTS_OUT       file the totals go to: "created other_statuses active_seconds".
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } reports_timespec;
int clock_gettime(int clock, reports_timespec *t);
]]
local ts = ffi.new("reports_timespec")

-- Seconds on CLOCK_MONOTONIC, which every wrk thread shares (os.time() has whole seconds only).
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local function urlencode(text)
  return (text:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", c:byte()) end))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept-Language"] = "en"
wrk.body = "token=" .. urlencode(os.getenv("REPORTS_TOKEN") or "") .. "&lang=en&category=litter"
  .. "&description=" .. urlencode("Overflowing bin beside the bench, bags on the ground (load test)")

local threads = {}
function setup(thread) table.insert(threads, thread) end

function init(args)
  started = now()
  stop_at = started + tonumber(os.getenv("REPORTS_ACTIVE_S") or "9.5")
  created, other, last = 0, 0, started
end

function delay()
  if now() < stop_at then return 0 end
  return 3600000
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    last = now()
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total, others, first, last_at = 0, 0, math.huge, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("created")
    others = others + thread:get("other")
    first = math.min(first, thread:get("started"))
    last_at = math.max(last_at, thread:get("last"))
  end
  local out = assert(io.open(os.getenv("REPORTS_OUT"), "w"))
  out:write(string.format("%d %d %.3f\n", total, others, last_at - first))
  out:close()
end
