-- wrk script for scripts/bench_mock.py: POST one valid KIE extend body, again and again.
--
-- Environment: SEGUE_BENCH_BODY (a file holding the JSON body), SEGUE_BENCH_KEY (the API key).
-- KIE answers errors with HTTP 200 and the real code in the envelope, so a response counts as
-- an error unless its status is 200 AND its body carries "code":200. done() prints one line the
-- benchmark parses: counts and the latency percentiles, in microseconds.

local body_path = assert(os.getenv("SEGUE_BENCH_BODY"), "SEGUE_BENCH_BODY is not set")
local file = assert(io.open(body_path, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("SEGUE_BENCH_KEY"), "SEGUE_BENCH_KEY is not set")

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  responses = 0
  envelope_errors = 0
end

function response(status, headers, body)
  responses = responses + 1
  if status ~= 200 or not string.find(body, '"code":200', 1, true) then
    envelope_errors = envelope_errors + 1
  end
end

function done(summary, latency, requests)
  local answered, failed = 0, 0
  for _, thread in ipairs(threads) do
    answered = answered + thread:get("responses")
    failed = failed + thread:get("envelope_errors")
  end
  local e = summary.errors
  io.write(string.format(
    "SEGUE_BENCH requests=%d duration_us=%d answered=%d envelope_errors=%d connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, answered, failed, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
