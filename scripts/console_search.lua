-- wrk script of scripts/bench-console.sh: each request GETs the next path of a list, in turn (each wrk thread
-- starts at its own place in the list), with the console's session cookie; every answer other than 200 is counted
-- (a 303 to the login page would mean the session had ended, and wrk does not count 3xx as errors).
-- Environment:
--   CONSOLE_PATHS   file with one path per line, e.g. /admin/tags?q=gare;
--   CONSOLE_COOKIE  the Cookie header (civictags-console=…), or empty for the static peer;
--   CONSOLE_OUT     file the totals go to: "answers_200 other_statuses".
local paths = {}
for line in io.lines(os.getenv("CONSOLE_PATHS")) do
  if line ~= "" then table.insert(paths, line) end
end
local cookie = os.getenv("CONSOLE_COOKIE") or ""
if cookie ~= "" then wrk.headers["Cookie"] = cookie end

local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  next_path = offset
  ok, other = 0, 0
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format(nil, paths[next_path])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else other = other + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_other = total_other + thread:get("other")
  end
  local out = assert(io.open(os.getenv("CONSOLE_OUT"), "w"))
  out:write(string.format("%d %d\n", total_ok, total_other))
  out:close()
end
