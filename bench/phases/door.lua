-- POST /positions with DOOR_SAMPLES samples of one source per request (1: a single object, more: an array), sources
-- door-0 .. door-99 in turn (bench/phases/door.sh). The requests are built once per thread: wrk's own CPU stays off
-- the measurement.
local requests = {}
local n = 0

function init(args)
  local per = tonumber(os.getenv("DOOR_SAMPLES") or "1")
  for i = 0, 99 do
    local samples = {}
    for k = 0, per - 1 do
      samples[#samples + 1] = '{"source":"door-' .. i .. '","x":' .. (i * per + k) .. ',"y":' .. (i * 7 + k) .. '}'
    end
    local body = per == 1 and samples[1] or "[" .. table.concat(samples, ",") .. "]"
    requests[#requests + 1] = wrk.format("POST", nil, nil, body)
  end
end

function request()
  n = n % #requests + 1
  return requests[n]
end
