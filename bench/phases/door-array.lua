-- POST /positions, arrays of 100 samples of one source per request, sources door-0 .. door-99 in turn
-- (bench/phases/door.sh). The requests are built once per thread: wrk's own CPU stays off the measurement.
local requests = {}
local n = 0

function init(args)
  for i = 0, 99 do
    local samples = {}
    for k = 0, 99 do
      samples[#samples + 1] = '{"source":"door-' .. i .. '","x":' .. (i * 100 + k) .. ',"y":' .. k .. '}'
    end
    requests[#requests + 1] = wrk.format("POST", nil, nil, "[" .. table.concat(samples, ",") .. "]")
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
