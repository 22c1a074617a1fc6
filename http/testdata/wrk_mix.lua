-- wrk script: the request mix of TestLoad (http/load_test.go), half partners, half align.
--   wrk -t2 -c200 -d10s --latency -s http/testdata/wrk_mix.lua http://127.0.0.1:8080
local states = {"USA", "IRN", "CUB", "FRA", "CHN", "RUS", "BRA", "IND", "ZAF", "ISR", "GBR", "DEU", "JPN", "EGY", "NGA", "MEX"}
local issues = {"", "me", "nu", "di", "hr", "co", "ec"}
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  local c, i = (id or 0) * 7919 + counter, counter
  local a = states[(c + i) % #states + 1]
  local b = states[(c + 3 * i + 1) % #states + 1]
  if a == b then b = "KEN" end
  local is = issues[(c + i) % #issues + 1]
  local from = 1946 + (c * 7 + i) % 60
  if i % 2 == 0 then
    return wrk.format("GET", string.format("/api/v1/partners?a=%s&issue=%s&from=%d&top=20", a, is, from))
  end
  return wrk.format("GET", string.format("/api/v1/align?a=%s&b=%s&issue=%s&from=%d&by=year", a, b, is, from))
end

