# Phase "door": the HTTP ingest door, POST /positions (sourced by bench/run.sh; see docs/performance.md).
#
# wrk posts samples with a writer token: one sample per request at 1 and 16 connections, arrays of 100 samples at 1
# and 8 connections (bench/phases/door.lua; sources door-0 .. door-99). Each answer is a 202
# only once Kafka acknowledged every sample of the request (acks=all), so the topic's end offsets (EndOffsets), read
# before and after each run, must have grown by at least the acknowledged samples, and by no more than what was still
# in flight when wrk stopped (connections x samples per request).
#
# posflow is restarted for the phase with posflow.publish.rate-limit raised (DOOR_RATE_LIMIT, default 100,000,000
# samples per second per caller): the default of 5,000 per second would answer most of these requests 429. The four
# runs are made in two topologies, each with a posflow of its own:
#   apart     the published samples go to posflow.publish.topic ("positions"), which this posflow does not ingest
#             (POSFLOW_INGEST_TOPICS=$JSON_TOPIC): the door alone. Result keys door_<run>_*.
#   ingested  posflow's default: the instance ingests its own publish topic (a fresh topic door-<ms>, into a fresh
#             database <prefix>_door), so that every request shares the machine with the ingest of what the door
#             took. After each run the phase waits until MySQL holds every published sample, and says how long that
#             took. Result keys door_ingested_<run>_*.
# Each run is measured once the JIT has compiled what it serves (door_warm_up: 5 s runs of the same load until the JIT
# compiler threads are quiet, at most DOOR_WARMUP_MAX seconds). BENCH_DOOR_TOPOLOGIES picks them (default "apart
# ingested"). Each run records the cores of posflow, MySQL and the broker (cpu), and posflow's CPU per thread group
# (wrk-door-[ingested_]<run>-threads.txt; its busiest groups in the result *_threads). The headline posflow (lib.sh's
# ensure_posflow, which ingests first when the phase runs alone) is stopped for the phase and started again, as it was,
# afterwards.
#
# Each run also records the garbage it made (jstat -gc before and after: young collections, the share of the run
# they paused posflow, and the bytes allocated per sample, from eden's fill and its size at each collection; result
# door_<run>_gc). With BENCH_DOOR_JFR=1 the door's posflow runs with JFR (settings=profile), and each run's
# allocations are accounted by class, site and posflow frame (bench/src/.../JfrAlloc.java) in
# wrk-door-<run>-alloc.txt: what the garbage is, when the collector is what bounds a run.
#
# Needs from run.sh: WRITER_TOKEN (lib.sh's mint_tokens: a writer of every source, whose entry start_posflow passes).

DOOR_TOPIC=positions
DOOR_DB=
DOOR_TOPOLOGIES=${BENCH_DOOR_TOPOLOGIES:-apart ingested}

# wrk_door name lua connections samples-per-request: one measured run after door_warm_up, into DOOR_TOPIC (and, when
# DOOR_DB is set, ingested into that database by the same posflow)
wrk_door() {
    local name=$1 lua=$2 conns=$3 per=$4 threads=2 before after from_ms to_ms heap_before heap_after out="$LOGS/wrk-door-$1.txt"
    [ "$conns" = 1 ] && threads=1
    wait_quiet "wrk door $name"
    export DOOR_SAMPLES=$per
    door_warm_up "$name" "$lua" "$threads" "$conns"
    log "door: wrk -t$threads -c$conns -d${WRK_SECONDS}s POST /positions ($per sample(s) per request)"
    before=$(tool EndOffsets "$BOOTSTRAP" "$DOOR_TOPIC" 2>> "$LOGS/door-offsets.log")
    cpu_sampler_start "$LOGS/wrk-door-$name-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/wrk-door-$name-threads-before.txt"
    heap_before=$(door_heap "$POSFLOW_PID")
    from_ms=$(now_ms)
    wrk -t"$threads" -c"$conns" -d"${WRK_SECONDS}"s --latency -s "$lua" -H "Authorization: Bearer $WRITER_TOKEN" \
        -H "Content-Type: application/json" "$BASE/positions" > "$out" 2>&1
    to_ms=$(now_ms)
    heap_after=$(door_heap "$POSFLOW_PID")
    [ -z "$DOOR_DB" ] || door_stored_sampler_start "$LOGS/wrk-door-$name-stored.txt"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/wrk-door-$name-threads-after.txt"
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
    result "door_${name}_gc" "$(door_garbage "$heap_before" "$heap_after" "$((to_ms - from_ms))" "$acked")"
    DOOR_WINDOWS+=("$name $from_ms $to_ms $acked")
    threads_report "$LOGS/wrk-door-$name-threads-before.txt" "$LOGS/wrk-door-$name-threads-after.txt" \
        "$(awk -v a="$to_ms" -v b="$from_ms" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/wrk-door-$name-threads.txt"
    result "door_${name}_jit" "$(door_jit_cores "$LOGS/wrk-door-$name-threads.txt")"
    result "door_${name}_threads" "$(head -4 "$LOGS/wrk-door-$name-threads.txt" | door_thread_names | awk '{ c = $1; $1 = ""; printf "%s%s %s", (NR > 1 ? ", " : ""), substr($0, 2), c }')"
    log "door $name: $rps req/s, p50 $(get "door_${name}_p50"), $non2xx non-2xx, $acked samples acknowledged, topic +$added"
    [ -z "$DOOR_DB" ] || door_wait_stored "$name" "$after" "$to_ms" "$LOGS/wrk-door-$name-stored.txt"
}

# The same load in 5 s runs until the JIT has compiled what it serves: until the compiler threads used less than
# DOOR_JIT_QUIET cores (default 0.05) during one, for at most DOOR_WARMUP_MAX seconds (default 60). A fresh posflow
# compiles for about a minute under this load on 2 cores (40 s of compiler CPU, jdk.CompilerStatistics); measured
# during it, the compiler took 0.3-0.7 of the 2 cores, and the figures followed how much of it overlapped the run.
door_warm_up() { # name lua threads connections
    local name=$1 lua=$2 threads=$3 conns=$4 warm=0 jit before="$LOGS/wrk-door-$1-warm-before.txt" after="$LOGS/wrk-door-$1-warm-after.txt"
    while :; do
        threads_snapshot "$POSFLOW_PID" > "$before"
        wrk -t"$threads" -c"$conns" -d5s -s "$lua" -H "Authorization: Bearer $WRITER_TOKEN" \
            -H "Content-Type: application/json" "$BASE/positions" > /dev/null 2>&1
        threads_snapshot "$POSFLOW_PID" > "$after"
        warm=$((warm + 5))
        jit=$(threads_report "$before" "$after" 5 0.001 | door_jit_cores /dev/stdin)
        holds "j < q" j="$jit" q="${DOOR_JIT_QUIET:-0.05}" | grep -q 1 && break
        [ "$warm" -lt "${DOOR_WARMUP_MAX:-60}" ] || break
    done
    result "door_${name}_warmup_s" "$warm"
    log "door $name: warmed up for $warm s (JIT compiler threads at $jit cores in the last 5 s)"
}
door_thread_names() { # thread groups as /proc names them (15 characters, digits folded) in plain words
    sed -e 's/CN CompilerThre/JIT compiler/' -e 's/VM Thread/VM thread (Serial GC)/' -e 's/vert.x-eventloo/event loops/' \
        -e 's/kafka-producer-/Kafka producer/' -e 's/smallrye-kafka-/SmallRye Kafka/' -e 's/executor-thread/workers/' \
        -e 's/CompletableFutu/ack timeouts (CompletableFuture)/'
}
door_jit_cores() { # threads report file: cores of the JIT compiler threads ("CN CompilerThre")
    awk '/CompilerThre/ { s += $1 } END { printf "%.2f\n", s }' "$1"
}
door_heap() { # pid: "young-collections young-seconds eden-capacity-KB eden-used-KB"
    jstat_gc "$1" YGC YGCT EC EU
}
# "young N, paused P % of the run, K KB per sample": eden is full at each young collection, so what was allocated is
# eden's capacity per collection plus the change in what it holds (Serial GC, -Xmn: eden does not resize)
door_garbage() { # heap-before heap-after run-ms samples
    awk -v b="$1" -v a="$2" -v ms="$3" -v n="$4" 'BEGIN {
        split(b, x, " "); split(a, y, " "); if (x[1] == "" || y[1] == "" || n <= 0) { print "-"; exit }
        young = y[1] - x[1]; kb = young * y[3] + y[4] - x[4]
        printf "young %d, paused %.0f %% of the run, %.1f KB per sample", young, (y[2] - x[2]) * 100000 / ms, kb / n }'
}
# BENCH_DOOR_JFR=1: each run's allocations by class, site and posflow frame, from the door posflow's recording
door_alloc_reports() { # jfr-file prefix
    local window name from to samples
    jcmd "$POSFLOW_PID" JFR.dump name=1 filename="$1" > /dev/null 2>&1 || { log "door: no JFR recording to dump"; return 0; }
    for window in "${DOOR_WINDOWS[@]}"; do
        read -r name from to samples <<< "$window"
        tool JfrAlloc "$1" "$((from + 200))" "$((to - 200))" "$samples" > "$LOGS/wrk-door-$name-alloc.txt" 2>&1 || true
    done
}

# ingested topology: what MySQL holds of DOOR_TOPIC (one partition), "ms samples" every 100 ms into a file, from the
# moment wrk stops; door_wait_stored then says when it first held every sample the topic holds
door_stored_sampler_start() { # file: runs until file.stop exists
    rm -f "$1.stop"
    (
        while [ ! -e "$1.stop" ]; do
            echo "$(now_ms) $(sql "$DOOR_DB" -e "select coalesce(sum(next_offset), 0) from ingest_offsets where kafka_topic = '$DOOR_TOPIC'" 2>/dev/null || echo 0)"
            sleep 0.1
        done
    ) > "$1" &
    DOOR_STORED_SAMPLER=$!
    PIDS+=("$DOOR_STORED_SAMPLER") # stopped by lib.sh's cleanup if the run dies before door_wait_stored
}
door_wait_stored() { # name end-offset wrk-end-ms file
    local name=$1 want=$2 to_ms=$3 file=$4 at=
    for _ in $(seq 1 1200); do
        at=$(awk -v w="$want" '$2 >= w { print $1; exit }' "$file")
        [ -z "$at" ] || break
        sleep 0.1
    done
    touch "$file.stop"
    wait "$DOOR_STORED_SAMPLER" 2>/dev/null || true
    [ -n "$at" ] || die "door $name: MySQL did not hold the topic's $want samples within 120 s ($file)"
    result "door_${name}_stored_after_ms" "$((at - to_ms))"
    log "door $name: MySQL held all $want samples of $DOOR_TOPIC $((at - to_ms)) ms after wrk stopped"
}

# the four runs against a posflow started with the door's settings; extra NAME=value settings after the log name
door_runs() { # prefix log settings...
    local here prefix=$1 out=$2 first ready code saved=(${BENCH_POSFLOW_ENV[@]+"${BENCH_POSFLOW_ENV[@]}"})
    shift 2
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    BENCH_POSFLOW_ENV=(${BENCH_POSFLOW_ENV[@]+"${BENCH_POSFLOW_ENV[@]}"} "$@")
    local jfr=()
    [ "${BENCH_DOOR_JFR:-0}" != 1 ] || jfr=(-XX:StartFlightRecording=settings=profile)
    DOOR_WINDOWS=()
    POSFLOW_PUBLISH_RATE_LIMIT=${DOOR_RATE_LIMIT:-100000000} \
        start_posflow "${HEADLINE_BATCH:-5000}" "${LAST_GROUP:-bench-door}" "$out" ${jfr[@]+"${jfr[@]}"}
    BENCH_POSFLOW_ENV=(${saved[@]+"${saved[@]}"})
    read -r first ready < <(wait_first_request "$(now_ms)")
    [ -n "$first" ] && [ -n "$ready" ] || die "posflow did not start for the door phase, see $out"
    code=$(curl -s -o "$LOGS/door-first.json" -w '%{http_code}' -H "Authorization: Bearer $WRITER_TOKEN" \
        -H "Content-Type: application/json" -d '{"source":"door-0","x":1,"y":1}' "$BASE/positions")
    [ "$code" = 202 ] || die "POST /positions answered $code, not 202: $(cat "$LOGS/door-first.json")"

    wrk_door "${prefix}single_c1" "$here/door.lua" 1 1
    wrk_door "${prefix}single_c16" "$here/door.lua" 16 1
    wrk_door "${prefix}array_c1" "$here/door.lua" 1 100
    wrk_door "${prefix}array_c8" "$here/door.lua" 8 100
    [ "${BENCH_DOOR_JFR:-0}" != 1 ] || door_alloc_reports "$LOGS/posflow-door-${prefix}runs.jfr"
    stop "$POSFLOW_PID"
}

phase_door() {
    [ -n "${WRITER_TOKEN:-}" ] || die "door: no writer token (lib.sh's mint_tokens sets WRITER_TOKEN)"
    # run alone (BENCH_PHASES=door), the phase first gets the ingested database and the consumer group at the topic's
    # end, as after phase ingest: without them posflow would find no database, or ingest during the measurement
    ensure_posflow
    stop "$POSFLOW_PID"

    local topology
    for topology in $DOOR_TOPOLOGIES; do
        case $topology in
            apart)
                DOOR_TOPIC=positions DOOR_DB=
                log "door, apart: posflow with posflow.publish.rate-limit=${DOOR_RATE_LIMIT:-100000000}, $DOOR_TOPIC not ingested"
                door_runs "" "$LOGS/posflow-door.log" ;;
            ingested)
                DOOR_TOPIC=door-$(now_ms) DOOR_DB=$(bench_db door)
                log "door, ingested: the same, publishing to $DOOR_TOPIC, which it ingests into $DOOR_DB"
                sql -e "drop database if exists $DOOR_DB; create database $DOOR_DB"
                door_runs ingested_ "$LOGS/posflow-door-ingested.log" POSFLOW_PUBLISH_TOPIC="$DOOR_TOPIC" \
                    POSFLOW_INGEST_TOPICS="$DOOR_TOPIC" QUARKUS_DATASOURCE_JDBC_URL="$(jdbc_url "$DOOR_DB")" \
                    MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID="$DOOR_TOPIC"
                sql -e "drop database $DOOR_DB"   # as every phase drops what it creates
                DOOR_DB= ;;
            *) die "BENCH_DOOR_TOPOLOGIES: unknown topology '$topology' (apart, ingested)" ;;
        esac
    done

    start_posflow "${HEADLINE_BATCH:-5000}" "${LAST_GROUP:-bench-door}" "$LOGS/posflow-after-door.log"
    local first ready
    read -r first ready < <(wait_first_request "$(now_ms)")
    [ -n "$first" ] || die "posflow did not start again after the door phase, see $LOGS/posflow-after-door.log"
}

report_door() {
    local ingest
    ingest=$(get "posflow_b${HEADLINE_BATCH:-5000}_rows_per_s")
    local topology
    # only the topologies that ran: a missing one would read as missed goals
    for topology in $DOOR_TOPOLOGIES; do
        case $topology in
            apart)
                row "POST /positions [apart]: its publish topic not ingested" "" ""
                door_report_runs "" apart "$ingest" ;;
            ingested)
                row "POST /positions [ingested]: the same instance ingests it" "" ""
                door_report_runs ingested_ ingested "$ingest" ;;
        esac
    done
}

door_report_runs() { # prefix topology ingest-rows-per-s
    local p=$1 t="[$2]" ingest=$3 p50 rps stored=1 name
    p50=$(ms_of "$(get "door_${p}single_c1_p50")")
    rps=$(get "door_${p}single_c16_rps")
    row "  1 sample, 1 conn. $t: p50 (req/s, p99)" "$p50 ms ($(get "door_${p}single_c1_rps"), $(get "door_${p}single_c1_p99"))" \
        "p50 <= 3 ms: $(verdict "$(holds 'v <= 3' v="$p50")")"
    row "  1 sample, 16 conn. $t: req/s (p50, p99)" "$rps ($(get "door_${p}single_c16_p50"), $(get "door_${p}single_c16_p99"))" \
        ">= 5,000: $(verdict "$(holds 'v >= 5000' v="$rps")")"
    row "  100-sample arrays, 1 conn. $t: samples/s (p50)" "$(get "door_${p}array_c1_samples_per_s") ($(get "door_${p}array_c1_p50"))" ""
    row "  100-sample arrays, 8 conn. $t: samples/s (p50, p99)" "$(get "door_${p}array_c8_samples_per_s") ($(get "door_${p}array_c8_p50"), $(get "door_${p}array_c8_p99"))" \
        "$([ -z "$p" ] && echo ">= ingest ${ingest:-?}/s: $(verdict "$(holds 'i > 0 && v >= i' v="$(get "door_${p}array_c8_samples_per_s")" i="$ingest")")")"
    for name in single_c1 single_c16 array_c1 array_c8; do
        [ "$(get "door_${p}${name}_stored")" = 1 ] || stored=0
    done
    row "  acknowledged samples found in Kafka (4 runs) $t" \
        "$(get "door_${p}single_c16_added")/$(get "door_${p}single_c16_acked"), $(get "door_${p}array_c8_added")/$(get "door_${p}array_c8_acked") (c16, arr c8)" \
        "all: $(verdict "$stored")"
    row "  non-2xx answers (c1, c16, arr c1, arr c8)" \
        "$(get "door_${p}single_c1_non2xx") $(get "door_${p}single_c16_non2xx") $(get "door_${p}array_c1_non2xx") $(get "door_${p}array_c8_non2xx")" ""
    [ -z "$p" ] || row "  all of them in MySQL, ms after wrk stopped (c1, c16, arr c1, arr c8)" \
        "$(get "door_${p}single_c1_stored_after_ms") $(get "door_${p}single_c16_stored_after_ms") $(get "door_${p}array_c1_stored_after_ms") $(get "door_${p}array_c8_stored_after_ms")" ""
    row "  warm-up, s / JIT cores in the run (c1, c16, arr c1, arr c8)" \
        "$(for name in single_c1 single_c16 array_c1 array_c8; do printf '%s/%s ' "$(get "door_${p}${name}_warmup_s")" "$(get "door_${p}${name}_jit")"; done)" ""
    for name in single_c1 single_c16 array_c8; do
        row "  CPU, $name: posflow / MySQL / Kafka | others" "$(get "door_${p}${name}_cpu")" ""
        row "    posflow's busiest threads" "$(get "door_${p}${name}_threads")" ""
        row "    garbage: young collections, their pauses, allocated" "$(get "door_${p}${name}_gc")" ""
    done
}
