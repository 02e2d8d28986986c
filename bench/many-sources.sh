#!/usr/bin/env bash
# posflow with many sources (issue 9; docs/performance.md, "Many sources"): the same N records spread by their Kafka
# record key over S sources, for each S, in one run, each on a fresh database and consumer group:
#
#   bench/many-sources.sh          N = 200,000 records, S = 100, 20,000 and 100,000
#
# For each S it prints: ingest time and rate; posflow's (and MariaDB's) CPU while ingesting, and idle afterwards (no
# ingest, no requests, BENCH_IDLE_SECONDS from /proc/<pid>/stat, once the last batch is BENCH_SETTLE_SECONDS past),
# with posflow's idle CPU per thread group (/proc/<pid>/task/*/stat);
# wrk -t1 -c1 p50 of a 1,000-source page of /positions/latest and of /sources (from the middle of the names), and of
# /positions/latest?source=S; RSS after ingest and idle, and after the requests; the live heap after a full GC
# (jcmd GC.class_histogram), whose growth with S is the in-memory cost per source.
#
# The application is the packaged HEAD of this repository, as bench/run.sh builds it (java -Xmx256m -jar
# quarkus-run.jar, authentication on with a reader token), against the MariaDB at 127.0.0.1:3306 (root, empty password;
# database <BENCH_DB_PREFIX>_many, created and dropped) and a Kafka broker this script starts from Apache Kafka's jars
# (one partition per topic). Setup and helpers: bench/lib.sh.
#
# Settings (environment):
#   BENCH_MANY_RECORDS    N (default 200000)
#   BENCH_MANY_RUNS       the runs, "100 20000 100000" by default; S:M also sets posflow.latest.max-sources-in-memory
#                         to M (e.g. 100000:20000: pages beyond the first 20,000 names come from MySQL)
#   BENCH_JFR=1           record each ingest with JFR and print where posflow's CPU went (JfrTop)
#   BENCH_IDLE_SECONDS (20), BENCH_SETTLE_SECONDS (5), BENCH_WRK_SECONDS (10), BENCH_QUIET_WAIT (600),
#   BENCH_DIR (/tmp/posflow-bench-many), POSFLOW_APP (a built quarkus-app directory), BENCH_DB_PREFIX (bench),
#   BENCH_KAFKA_PORT (19192), BENCH_HTTP_PORT (18180), BENCH_MANAGEMENT_PORT (18190), or BENCH_PORT_BASE (lib.sh)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
# this script's own defaults, so that it can run beside bench/run.sh
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench-many}
BENCH_KAFKA_PORT=${BENCH_KAFKA_PORT:-19192}
BENCH_HTTP_PORT=${BENCH_HTTP_PORT:-18180}
BENCH_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18190}
BENCH_WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
bench_init "${BENCH_MANY_RECORDS:-200000}"
RUNS=(${BENCH_MANY_RUNS:-100 20000 100000})
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-20}
SETTLE_SECONDS=${BENCH_SETTLE_SECONDS:-5}
WATCH_TIMEOUT=$((600 + N / 200))
POSFLOW_DB=$(bench_db many)

log "setup: N=$N, runs: ${RUNS[*]}, state in $BENCH_DIR"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
check_tools jcmd
check_ports "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT" "$MANAGEMENT_PORT"
bench_classpath
build_app
mint_tokens
start_kafka "$BENCH_DIR/kafka" "$N many"
for run in "${RUNS[@]}"; do
    S=${run%%:*}
    log "preloading $N records over $S sources (record key src-NNNNNN) into bench-many-$S"
    tool Preload "$BOOTSTRAP" "$N" "$S" "bench-many-$S" | tee -a "$LOGS/preload.log" >&2
done

ticks() { local f; read -r -a f < "/proc/$1/stat"; echo $((f[13] + f[14])); }
# the opaque page cursor of posflow (SourceCursor): base64url("s1:" + source), no padding
cursor_after() { printf 's1:%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
wrk_p50() { # name url: p50 and req/s of one connection
    local name=$1 url=$2
    wrk -t1 -c1 -d2s "${AUTH[@]}" "$url" > /dev/null 2>&1
    wrk -t1 -c1 -d"${WRK_SECONDS}"s --latency "${AUTH[@]}" "$url" > "$LOGS/$TAG-wrk-$name.txt" 2>&1
    result "${TAG}_${name}_p50" "$(awk '/^ +50%/ { print $2 }' "$LOGS/$TAG-wrk-$name.txt")"
    result "${TAG}_${name}_p99" "$(awk '/^ +99%/ { print $2 }' "$LOGS/$TAG-wrk-$name.txt")"
    result "${TAG}_${name}_rps" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGS/$TAG-wrk-$name.txt")"
    result "${TAG}_${name}_errors" "$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$LOGS/$TAG-wrk-$name.txt")"
}

for run in "${RUNS[@]}"; do
    S=${run%%:*}
    BOUND=
    [ "$run" = "$S" ] || BOUND=${run#*:}
    TAG="s$S${BOUND:+_m$BOUND}"
    TOPIC="bench-many-$S"
    sql -e "drop database if exists $POSFLOW_DB; create database $POSFLOW_DB"
    wait_quiet "posflow, $S sources"
    log "posflow: $S sources${BOUND:+, at most $BOUND in memory}"
    jvm=()
    if [ "${BENCH_JFR:-0}" = 1 ]; then
        jvm=(-XX:StartFlightRecording=filename="$LOGS/$TAG-ingest.jfr",settings=profile -XX:FlightRecorderOptions:stackdepth=256)
    fi
    start_watch "$POSFLOW_DB" \
        "select coalesce(max(kafka_offset) + 1, 0) from positions where kafka_topic = '$TOPIC' and kafka_incarnation = 0 and kafka_partition = 0" \
        "$TAG"
    t0=$(now_ms)
    BENCH_POSFLOW_ENV=(POSFLOW_INGEST_TOPICS="$TOPIC" ${BOUND:+POSFLOW_LATEST_MAX_SOURCES_IN_MEMORY=$BOUND})
    start_posflow "${BENCH_BATCH_SIZE:-5000}" "bench-many-$TAG-$(date +%s)" "$LOGS/$TAG.log" ${jvm[@]+"${jvm[@]}"}
    BENCH_POSFLOW_ENV=()
    cpu_sampler_start "$LOGS/$TAG-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-start.txt"
    wait "$watch" || die "posflow did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/$TAG.log"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-done.txt"
    sleep 0.2
    cpu_sampler_stop
    first_ms=$(watch_value first_ms "$LOGS/$TAG-watch.log")
    done_ms=$(watch_value done_ms "$LOGS/$TAG-watch.log")
    result "${TAG}_rows_per_s" "$(watch_value rows_per_s "$LOGS/$TAG-watch.log")"
    result "${TAG}_ingest_s" "$(awk -v a="$done_ms" -v b="$first_ms" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${TAG}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${TAG}_cpu" "$(cpu_cores "$LOGS/$TAG-cpu.txt" "$first_ms" "$done_ms")"
    threads_report "$LOGS/$TAG-threads-start.txt" "$LOGS/$TAG-threads-done.txt" \
        "$(awk -v a="$(now_ms)" -v b="$t0" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/$TAG-threads.txt"
    read -r rows sources <<< "$(sql "$POSFLOW_DB" -e "select (select count(*) from positions), (select count(*) from latest_positions)")"
    [ "$rows" = "$N" ] || die "posflow stored $rows rows, not $N"
    [ "$sources" = "$S" ] || die "latest_positions holds $sources sources, not $S"
    if [ "${BENCH_JFR:-0}" = 1 ]; then
        jcmd "$POSFLOW_PID" JFR.stop name=1 > /dev/null 2>&1 || true
        tool JfrTop "$LOGS/$TAG-ingest.jfr" 15 > "$LOGS/$TAG-ingest-profile.txt" 2>&1 || true
    fi

    # idle: no ingest, no requests
    sleep "$SETTLE_SECONDS"
    a=$(ticks "$POSFLOW_PID"); m=$(ticks "$MARIADB_PID"); from=$(now_ms)
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-idle-from.txt"
    sleep "$IDLE_SECONDS"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-idle-to.txt"
    b=$(ticks "$POSFLOW_PID"); n=$(ticks "$MARIADB_PID"); to=$(now_ms)
    # where the idle CPU goes, per thread group (a tick is 10 ms: over 20 s, 0.0005 core is one tick)
    threads_report "$LOGS/$TAG-threads-idle-from.txt" "$LOGS/$TAG-threads-idle-to.txt" \
        "$(awk -v a="$to" -v b="$from" 'BEGIN { print (a - b) / 1000 }')" 0.001 > "$LOGS/$TAG-idle-threads.txt"
    result "${TAG}_idle" "$(awk -v a="$a" -v b="$b" -v m="$m" -v n="$n" -v s="$(( to - from ))" -v hz="$CLK_TCK" \
        'BEGIN { printf "%.3f %.3f", (b - a) / hz / (s / 1000), (n - m) / hz / (s / 1000) }')"
    result "${TAG}_rss_idle_mb" "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"

    # REST, one connection: a 1,000-source page from the middle of the names, and one source
    mid=$(printf 'src-%06d' $((S / 2)))
    after=$(cursor_after "$(printf 'src-%06d' $((S / 2 - 1)))")
    expect=$(( S - S / 2 < 1000 ? S - S / 2 : 1000 ))
    for path in "/positions/latest?limit=1000&after=$after" "/sources?limit=1000&after=$after"; do
        curl -sf "${AUTH[@]}" "$BASE$path" > "$LOGS/$TAG-page.json" || die "GET $path failed"
        got=$(grep -o '"source":"' "$LOGS/$TAG-page.json" | wc -l)
        [ "$got" = "$expect" ] || die "GET $path: $got items, not $expect"
        grep -q "\"source\":\"$mid\"" "$LOGS/$TAG-page.json" || die "GET $path does not start at $mid"
        result "${TAG}_$(cut -d'?' -f1 <<< "$path" | tr -d / )_bytes" "$(wc -c < "$LOGS/$TAG-page.json")"
    done
    curl -sf "${AUTH[@]}" "$BASE/positions/latest?source=$mid" | grep -q "\"source\":\"$mid\"" || die "GET /positions/latest?source=$mid failed"
    wrk_p50 latest_page "$BASE/positions/latest?limit=1000&after=$after"
    wrk_p50 sources_page "$BASE/sources?limit=1000&after=$after"
    wrk_p50 latest_source "$BASE/positions/latest?source=$mid"
    result "${TAG}_rss_mb" "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"
    # the live heap after a full GC (GC.class_histogram collects first), and what the latest view holds
    jcmd "$POSFLOW_PID" GC.class_histogram > "$LOGS/$TAG-histogram.txt" 2>&1 || true
    result "${TAG}_live_heap" "$(awk '/^Total/ { print $3 }' "$LOGS/$TAG-histogram.txt")"
    result "${TAG}_entries" "$(awk '/LatestSnapshot\$Entry/ { print $2 }' "$LOGS/$TAG-histogram.txt")"
    stop "$POSFLOW_PID"
done
sql -e "drop database $POSFLOW_DB"
stop "$KAFKA_PID"

{
echo
echo "posflow, many sources: N=$N records per run, 1 partition, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "posflow: $APP_COMMIT"
echo "MariaDB $(sql -e 'select version()'), $(java -version 2>&1 | head -1); load average at start: $LOAD_AT_START"
echo
echo "| sources | ingest s | rows/s | CPU ingesting: posflow / MariaDB | CPU idle: posflow / MariaDB | latest page p50 | sources page p50 | latest?source p50 | RSS idle / after requests | live heap | held in memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for run in "${RUNS[@]}"; do
    S=${run%%:*}; BOUND=; [ "$run" = "$S" ] || BOUND=${run#*:}
    TAG="s$S${BOUND:+_m$BOUND}"
    read -r cpu_posflow cpu_db _ <<< "$(get "${TAG}_cpu")"
    read -r idle_posflow idle_db <<< "$(get "${TAG}_idle")"
    printf '| %s%s | %s | %s | %s / %s | %s / %s | %s | %s | %s | %s / %s MB | %s MB | %s |\n' "$S" "${BOUND:+ (max $BOUND in memory)}" \
        "$(get "${TAG}_ingest_s")" "$(get "${TAG}_rows_per_s")" "$cpu_posflow" "$cpu_db" "$idle_posflow" "$idle_db" \
        "$(get "${TAG}_latest_page_p50")" "$(get "${TAG}_sources_page_p50")" "$(get "${TAG}_latest_source_p50")" \
        "$(get "${TAG}_rss_idle_mb")" "$(get "${TAG}_rss_mb")" \
        "$(awk -v b="$(get "${TAG}_live_heap")" 'BEGIN { printf "%.1f", b / 1048576 }')" "$(get "${TAG}_entries")"
done
echo
FIRST=${RUNS[0]}; FIRST_TAG="s${FIRST%%:*}"
for run in "${RUNS[@]:1}"; do
    S=${run%%:*}; BOUND=; [ "$run" = "$S" ] || BOUND=${run#*:}
    TAG="s$S${BOUND:+_m$BOUND}"
    awk -v s="$S" -v tag="$TAG" -v r="$(get "${TAG}_rows_per_s")" -v r0="$(get "${FIRST_TAG}_rows_per_s")" \
        -v h="$(get "${TAG}_live_heap")" -v h0="$(get "${FIRST_TAG}_live_heap")" -v e="$(get "${TAG}_entries")" \
        -v e0="$(get "${FIRST_TAG}_entries")" -v m="$(get "${TAG}_rss_mb")" -v m0="$(get "${FIRST_TAG}_rss_mb")" \
        'BEGIN { printf "%s: rate %.2f x the first run; RSS %.2f x; live heap +%.0f bytes per source held (%d more held)\n",
                 tag, (r0 > 0 ? r / r0 : 0), (m0 > 0 ? m / m0 : 0), (e > e0 ? (h - h0) / (e - e0) : 0), e - e0 }'
done
echo
echo "CPU idle per thread group of posflow, cores over ${IDLE_SECONDS} s (busiest 8; all in \$LOGS/<run>-idle-threads.txt):"
for run in "${RUNS[@]}"; do
    S=${run%%:*}; BOUND=; [ "$run" = "$S" ] || BOUND=${run#*:}
    TAG="s$S${BOUND:+_m$BOUND}"
    echo "  $TAG: $(head -8 "$LOGS/$TAG-idle-threads.txt" | awk '{ c = $1; $1 = ""; printf "%s%s %s", (NR > 1 ? ", " : ""), substr($0, 2), c }')"
done
echo "wrk errors (should be empty):"
grep '_errors=.' "$RESULTS" || true
echo "Logs, wrk output, histograms$( [ "${BENCH_JFR:-0}" = 1 ] && echo ', JFR profiles') in $LOGS"
} | tee "$BENCH_DIR/table.txt"
