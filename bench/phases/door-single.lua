-- POST /positions, one sample per request, sources door-0 .. door-99 in turn (bench/phases/door.sh).
-- The requests are built once per thread: wrk's own CPU stays off the measurement.
local requests = {}
local n = 0

function init(args)
  for i = 0, 99 do
    local body = '{"source":"door-' .. i .. '","x":' .. (i * 13) .. ',"y":' .. (i * 7) .. '}'
    requests[#requests + 1] = wrk.format("POST", nil, nil, body)
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
