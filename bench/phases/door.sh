# Phase "door": the HTTP ingest door, POST /positions (sourced by bench/run.sh; see docs/performance.md).
#
# wrk posts samples with a writer token: one sample per request at 1 and 16 connections, arrays of 100 samples at 1
# and 8 connections (bench/phases/door.lua; sources door-0 .. door-99). Each answer is a 202
# only once Kafka acknowledged every sample of the request (acks=all), so the topic's end offsets (EndOffsets), read
# before and after each run, must have grown by at least the acknowledged samples, and by no more than what was still
# in flight when wrk stopped (connections x samples per request).
#
# posflow is restarted for the phase with posflow.publish.rate-limit raised (DOOR_RATE_LIMIT, default 100,000,000
# samples per second per caller): the default of 5,000 per second would answer most of these requests 429. The
# published samples go to posflow.publish.topic ("positions"), which this posflow does not ingest
# (POSFLOW_INGEST_TOPICS=$JSON_TOPIC), so the phase leaves the ingested rows alone. The headline posflow (lib.sh's
# ensure_posflow, which ingests first when the phase runs alone) is stopped for the phase and started again, as it was,
# afterwards.
#
# Needs from run.sh: WRITER_TOKEN (lib.sh's mint_tokens: a writer of every source, whose entry start_posflow passes).

DOOR_TOPIC=positions

# wrk_door name lua connections samples-per-request: one measured run after a 5 s warm-up
wrk_door() {
    local name=$1 lua=$2 conns=$3 per=$4 threads=2 before after from_ms to_ms out="$LOGS/wrk-door-$1.txt"
    [ "$conns" = 1 ] && threads=1
    wait_quiet "wrk door $name"
    log "door: wrk -t$threads -c$conns -d${WRK_SECONDS}s POST /positions ($per sample(s) per request)"
    export DOOR_SAMPLES=$per
    wrk -t"$threads" -c"$conns" -d5s -s "$lua" -H "Authorization: Bearer $WRITER_TOKEN" \
        -H "Content-Type: application/json" "$BASE/positions" > /dev/null 2>&1
    before=$(tool EndOffsets "$BOOTSTRAP" "$DOOR_TOPIC" 2>> "$LOGS/door-offsets.log")
    cpu_sampler_start "$LOGS/wrk-door-$name-cpu.txt" "$POSFLOW_PID" "$KAFKA_PID"
    from_ms=$(now_ms)
    wrk -t"$threads" -c"$conns" -d"${WRK_SECONDS}"s --latency -s "$lua" -H "Authorization: Bearer $WRITER_TOKEN" \
        -H "Content-Type: application/json" "$BASE/positions" > "$out" 2>&1
    to_ms=$(now_ms)
    sleep 0.2
    cpu_sampler_stop
    sleep 1 # the last requests in flight when wrk stopped: their samples are counted in 'after' too
    after=$(tool EndOffsets "$BOOTSTRAP" "$DOOR_TOPIC" 2>> "$LOGS/door-offsets.log")
    local requests non2xx rps acked added
    requests=$(awk '/requests in/ { print $1 }' "$out")
    non2xx=$(awk '/Non-2xx/ { print $NF }' "$out")
    non2xx=${non2xx:-0}
    rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    acked=$(( (requests - non2xx) * per ))
    added=$((after - before))
    result "door_${name}_rps" "$rps"
    result "door_${name}_samples_per_s" "$((rps * per))"
    result "door_${name}_p50" "$(awk '/^ +50%/ { print $2 }' "$out")"
    result "door_${name}_p99" "$(awk '/^ +99%/ { print $2 }' "$out")"
    result "door_${name}_non2xx" "$non2xx"
    result "door_${name}_errors" "$(awk '/Socket errors/ { printf "%s ", $0 }' "$out")"
    result "door_${name}_acked" "$acked"
    result "door_${name}_added" "$added"
    # every acknowledged sample is in the topic; beyond them only the samples of requests still in flight at the end
    result "door_${name}_stored" "$([ "$added" -ge "$acked" ] && [ "$added" -le $((acked + conns * per)) ] && echo 1 || echo 0)"
    result "door_${name}_cpu" "$(cpu_cores "$LOGS/wrk-door-$name-cpu.txt" "$((from_ms + 200))" "$((to_ms - 200))")"
    log "door $name: $rps req/s, p50 $(get "door_${name}_p50"), $non2xx non-2xx, $acked samples acknowledged, topic +$added"
}

phase_door() {
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    [ -n "${WRITER_TOKEN:-}" ] || die "door: no writer token (lib.sh's mint_tokens sets WRITER_TOKEN)"
    # run alone (BENCH_PHASES=door), the phase first gets the ingested database and the consumer group at the topic's
    # end, as after phase ingest: without them posflow would find no database, or ingest during the measurement
    ensure_posflow
    stop "$POSFLOW_PID"
    log "door: posflow with posflow.publish.rate-limit=${DOOR_RATE_LIMIT:-100000000} and a writer token"
    POSFLOW_PUBLISH_RATE_LIMIT=${DOOR_RATE_LIMIT:-100000000} \
        start_posflow "${HEADLINE_BATCH:-5000}" "${LAST_GROUP:-bench-door}" "$LOGS/posflow-door.log"
    read -r first ready < <(wait_first_request "$(now_ms)")
    [ -n "$first" ] && [ -n "$ready" ] || die "posflow did not start for the door phase, see $LOGS/posflow-door.log"
    local code
    code=$(curl -s -o "$LOGS/door-first.json" -w '%{http_code}' -H "Authorization: Bearer $WRITER_TOKEN" \
        -H "Content-Type: application/json" -d '{"source":"door-0","x":1,"y":1}' "$BASE/positions")
    [ "$code" = 202 ] || die "POST /positions answered $code, not 202: $(cat "$LOGS/door-first.json")"

    wrk_door single_c1 "$here/door.lua" 1 1
    wrk_door single_c16 "$here/door.lua" 16 1
    wrk_door array_c1 "$here/door.lua" 1 100
    wrk_door array_c8 "$here/door.lua" 8 100

    stop "$POSFLOW_PID"
    start_posflow "${HEADLINE_BATCH:-5000}" "${LAST_GROUP:-bench-door}" "$LOGS/posflow-after-door.log"
    read -r first ready < <(wait_first_request "$(now_ms)")
    [ -n "$first" ] || die "posflow did not start again after the door phase, see $LOGS/posflow-after-door.log"
}

report_door() {
    local ingest p50 rps stored=1 name
    ingest=$(get "posflow_b${HEADLINE_BATCH:-5000}_rows_per_s")
    p50=$(ms_of "$(get door_single_c1_p50)")
    rps=$(get door_single_c16_rps)
    row "POST /positions, 1 sample, 1 conn.: p50 (req/s, p99)" "$p50 ms ($(get door_single_c1_rps), $(get door_single_c1_p99))" \
        "p50 <= 3 ms: $(verdict "$(awk -v v="$p50" 'BEGIN { print (v != "" && v <= 3) }')")"
    row "  1 sample, 16 conn.: req/s (p50, p99)" "$rps ($(get door_single_c16_p50), $(get door_single_c16_p99))" \
        ">= 5,000: $(verdict "$(awk -v v="$rps" 'BEGIN { print (v >= 5000) }')")"
    row "  100-sample arrays, 1 conn.: samples/s (p50)" "$(get door_array_c1_samples_per_s) ($(get door_array_c1_p50))" ""
    row "  100-sample arrays, 8 conn.: samples/s (p50, p99)" "$(get door_array_c8_samples_per_s) ($(get door_array_c8_p50), $(get door_array_c8_p99))" \
        ">= ingest ${ingest:-?}/s: $(verdict "$(awk -v v="$(get door_array_c8_samples_per_s)" -v i="$ingest" 'BEGIN { print (i > 0 && v >= i) }')")"
    for name in single_c1 single_c16 array_c1 array_c8; do
        [ "$(get "door_${name}_stored")" = 1 ] || stored=0
    done
    row "  acknowledged samples found in Kafka (4 runs)" \
        "$(get door_single_c16_added)/$(get door_single_c16_acked), $(get door_array_c8_added)/$(get door_array_c8_acked) (c16, arr c8)" \
        "all: $(verdict "$stored")"
    row "  non-2xx answers (c1, c16, arr c1, arr c8)" \
        "$(get door_single_c1_non2xx) $(get door_single_c16_non2xx) $(get door_array_c1_non2xx) $(get door_array_c8_non2xx)" ""
    row "  CPU, 1 sample c16: posflow / Kafka | others" "$(get door_single_c16_cpu)" ""
    row "  CPU, arrays c8: posflow / Kafka | others" "$(get door_array_c8_cpu)" ""
}
