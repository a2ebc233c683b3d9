-- Load script for wrk: counts every request written and every status seen, and
-- prints one JSON line at the end for bench/wrk.ts to parse.
--
-- Arguments (after `--`): mode ("get" or "vote") and, for "vote", a comma list
-- of option ids to cycle through.
--
-- Each wrk thread runs its own Lua state, so counters live in per-thread
-- globals; setup() keeps a handle on each thread and done() (main state) sums
-- them with thread:get().

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  statuses = {}
  mode = args[1] or "get"
  ids = {}
  for id in string.gmatch(args[2] or "", "[^,]+") do
    table.insert(ids, id)
  end
  if mode == "vote" and #ids == 0 then
    error("count.lua: vote mode needs option ids")
  end
  next_id = 1
end

-- Defining request() makes wrk call it once for every request it writes, which
-- is what lets us count requests sent (the upper bound of the vote audit).
function request()
  sent = sent + 1
  if mode ~= "vote" then
    return wrk.format(nil, nil)
  end
  local id = ids[next_id]
  next_id = next_id % #ids + 1
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "vote=" .. id)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
end

local function statuses_json(total)
  local parts = {}
  for status, count in pairs(total) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  table.sort(parts)
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency)
  local total_sent = 0
  local total = {}
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"durationUs":%d,"requests":%d,"sent":%d,"statuses":%s,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d}}\n',
    summary.duration, summary.requests, total_sent, statuses_json(total),
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max
  ))
end
