#!/usr/bin/env bash
# The tail of GET /positions/latest under load, and what sets it: per JVM/Quarkus variant, wrk's rate, p50 and p99,
# the young collections during the measured window, their longest pause, and the heap allocated per request.
# See docs/runs/2026-11-26-issue4.md ("/positions/latest p99").
#
#   bench/latest-tail.sh [seconds]     each wrk run (default 15), after a 5 s warm-up
#
# Runs the packaged app (target/quarkus-app, or POSFLOW_APP) with -Xmx256m against database bench_latest on
# 127.0.0.1:3306 (created and dropped here; one stored source) and no reachable Kafka broker (ingest is not needed:
# the endpoint is served from memory). Needs wrk (apt-get install -y wrk), curl, the mysql client.
set -euo pipefail

SECONDS_PER_RUN=${1:-15}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
APP=${POSFLOW_APP:-$HERE/../target/quarkus-app}
PORT=${BENCH_HTTP_PORT:-18181}
OUT=${BENCH_DIR:-/tmp/posflow-bench}/latest-tail
mkdir -p "$OUT"
[ -f "$APP/quarkus-run.jar" ] || { echo "no $APP/quarkus-run.jar: ./mvnw package -DskipTests first" >&2; exit 1; }
# authentication on, as deployed: a reader token from the jar's token command, sent by curl and wrk
MINTED=$(java -jar "$APP/quarkus-run.jar" token --role reader --name bench)
TOKEN=$(sed -n 2p <<< "$MINTED")
TOKEN_ENTRY=$(sed -n 5p <<< "$MINTED")
AUTH="Authorization: Bearer $TOKEN"
sql() { mysql -h127.0.0.1 -P3306 -uroot --batch --skip-column-names "$@"; }
sql -e "drop database if exists bench_latest; create database bench_latest"
trap 'sql -e "drop database if exists bench_latest"' EXIT

run() { # name [VAR=value ...] -- [JVM options ...]
    local name=$1 envs=() pid t0_ms wrk_from_s
    shift
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    shift
    t0_ms=$(date +%s%3N)
    env "${envs[@]}" KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9 \
        QUARKUS_DATASOURCE_JDBC_URL=jdbc:mysql://127.0.0.1:3306/bench_latest \
        QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= QUARKUS_HTTP_PORT="$PORT" \
        QUARKUS_MANAGEMENT_PORT=$((PORT + 1)) POSFLOW_AUTH_TOKENS="$TOKEN_ENTRY" POSFLOW_SAMPLER_SOURCE=off \
        java -Xmx256m -Xlog:gc:file="$OUT/$name-gc.log" "$@" -jar "$APP/quarkus-run.jar" > "$OUT/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do curl -sf -o /dev/null -H "$AUTH" "localhost:$PORT/positions/latest" && break; sleep 0.1; done
    sql bench_latest -e "insert ignore into positions (source, sampled_at, x, y, received_at, kafka_topic,
        kafka_partition, kafka_offset) values ('laptop-1', '2021-04-10 20:51:36.287301', 910, 454,
        '2021-04-10 20:51:37.000001', 'JSON', 0, 41);
        insert ignore into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset,
        row_count, first_sampled_at) values ('laptop-1', '2021-04-10 20:51:36.287301', 'JSON', 0, 41, 1,
        '2021-04-10 20:51:36.287301')"
    sleep 2   # one posflow.latest.refresh
    wrk -t2 -c50 -d5s -H "$AUTH" "http://127.0.0.1:$PORT/positions/latest" > /dev/null
    wrk_from_s=$(awk -v a="$(date +%s%3N)" -v b="$t0_ms" 'BEGIN { printf "%.3f", (a - b) / 1000 }')
    wrk -t2 -c50 -d"${SECONDS_PER_RUN}s" --latency -H "$AUTH" "http://127.0.0.1:$PORT/positions/latest" > "$OUT/$name-wrk.txt"
    kill "$pid"; wait "$pid" 2> /dev/null || true
    # young pauses after wrk started (JVM uptime; the JVM starts a little after t0, so this errs towards more);
    # allocation between two collections = heap before the second - heap after the first
    awk -v from="$wrk_from_s" -v name="$name" -v wrk="$OUT/$name-wrk.txt" '
        BEGIN {
            while ((getline line < wrk) > 0) {
                if (line ~ /^Requests\/sec:/) { split(line, f, " "); rps = f[2] }
                if (line ~ /^ +50%/) { split(line, f, " "); p50 = f[2] }
                if (line ~ /^ +99%/) { split(line, f, " "); p99 = f[2] }
                if (line ~ /requests in/) { split(line, f, " "); requests = f[1] }
            }
        }
        /Pause Young/ {
            t = substr($1, 2) + 0
            match($0, /([0-9]+)M->([0-9]+)M/, m)
            pause = $NF; sub(/ms/, "", pause)
            if (t >= from) {
                n++; if (pause + 0 > longest) longest = pause + 0
                if (after != "") allocated += m[1] - after
            }
            after = m[2]
        }
        END {
            printf "%-12s %9.0f req/s  p50 %-8s p99 %-8s young GCs %3d  longest %6.2f ms  ~%.1f KB/request\n",
                name, rps, p50, p99, n, longest, allocated * 1024 / requests
        }' "$OUT/$name-gc.log"
}

echo "GET /positions/latest, wrk -t2 -c50 -d${SECONDS_PER_RUN}s after a 5 s warm-up, $(nproc) cores, java -Xmx256m"
run as-shipped --
run io-threads-2 QUARKUS_HTTP_IO_THREADS=2 --
run parallel-gc -- -XX:+UseParallelGC
run no-http-metrics QUARKUS_MICROMETER_BINDER_HTTP_SERVER_ENABLED=false --
