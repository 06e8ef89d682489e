-- wrk script for `make loadtest` (see factcheck/loadtest.py, which writes the users file).
-- Usage: wrk -tT ... -s factcheck/loadtest.lua <url> -- <bare|review|mark> <users file> T
-- Each request acts as the next of the logged-in editors; prints one JSON line at the end.

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  local threads = tonumber(args[3])
  -- Each editor marks claims of their own and each wrk thread acts for its own editors, so
  -- no two requests in flight touch one claim (that would be an honest 409 Conflict).
  pairs_ = {}
  local line_number = 0
  for line in io.lines(args[2]) do
    line_number = line_number + 1
    local session, csrf, review, claims = line:match("^(%S+) (%S+) (%S+) (%S+)$")
    if (line_number - 1) % threads == id - 1 then
      for claim in claims:gmatch("%d+") do
        table.insert(pairs_, {session = session, csrf = csrf, review = review, claim = claim})
      end
    end
  end
  n = 0
  accepted = 0
  labels = {"sourced", "disputed", "opinion"}
end

function request()
  n = n + 1
  local pick = pairs_[n % #pairs_ + 1]
  local headers = {Cookie = "sessionid=" .. pick.session .. "; csrftoken=" .. pick.csrf}
  if mode == "bare" then
    return wrk.format("GET", "/health/", headers)
  elseif mode == "review" then
    return wrk.format("GET", pick.review .. "?claim=" .. pick.claim, headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  headers["X-CSRFToken"] = pick.csrf
  headers["HX-Request"] = "true"
  local body = "label=" .. labels[n % 3 + 1] .. "&note=load+test+" .. id .. "-" .. n
  return wrk.format("POST", "/claims/" .. pick.claim .. "/verdict/", headers, body)
end

function response(status, headers, body)
  if mode == "mark" and status == 200 then accepted = accepted + 1 end
end

function done(summary, latency, requests)
  local marked = 0
  for _, thread in ipairs(threads) do marked = marked + thread:get("accepted") end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "accepted": %d, "errors": %d, "p50": %.2f, ' ..
    '"p95": %.2f, "p99": %.2f}\n',
    summary.requests, summary.duration / 1e6, marked,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
