#!/usr/bin/env bash
# Export, heatmap and retention purge over 1,000,000 rows: see docs/performance.md ("Export", "Heatmap",
# "Retention purge").
#
#   bench/export-purge.sh [N] [M]     N old rows (default 1,000,000), M records ingested per ingest run (default 300,000)
#
# Runs the packaged app (target/quarkus-app, or POSFLOW_APP; ./mvnw package -DskipTests first) at -Xmx256m in the prod
# profile with authentication off (POSFLOW_AUTH_ENABLED=false: the token check is not what is measured), against
# database <BENCH_DB_PREFIX>_ops (bench_ops) on 127.0.0.1:3306 (root, empty password; created and dropped here) and a
# Kafka broker started here from Apache Kafka's jars (bench/lib.sh, as bench/run.sh). Needs java, javac, curl and the
# mysql client. In order:
#   1. N rows of source 'bench' are inserted by SQL, sampled 60 days ago (x = i mod 1920, y = (i div 1920) mod 1080:
#      a screen), and latest_positions counted for them;
#   2. ingest without a purge: M records (sampled now) preloaded into topic ops-a, posflow started, rate from the
#      rows' received_at (set once per batch);
#   3. with that instance: the export of the N rows in each format (rows/s, the server's RSS before and at most
#      during), then the heatmap over them (cell 20: 96 × 54 cells);
#   4. ingest during a purge: posflow restarted with posflow.retention.max-age=30d (the purge starts with it, and
#      deletes the N old rows in transactions of 5,000) on topic ops-b with M preloaded records; the ingest rate as
#      in 2, and the purge's duration: from its first committed batch of deletes to its last, as its counter
#      posflow_positions_deleted_total{cause="purged"} on /q/metrics shows them (polled every 0.5 s).
# Ports: BENCH_KAFKA_PORT (19192), BENCH_HTTP_PORT (18280) and BENCH_MANAGEMENT_PORT (HTTP + 1), or BENCH_PORT_BASE.
set -euo pipefail

N=${1:-1000000}
M=${2:-300000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench}/export-purge
BENCH_KAFKA_PORT=${BENCH_KAFKA_PORT:-19192}
BENCH_HTTP_PORT=${BENCH_HTTP_PORT:-18280}
BENCH_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-$((BENCH_HTTP_PORT + 1))}
bench_init "$N"
APP=${POSFLOW_APP:-$REPO/target/quarkus-app}
OPS_DB=$(bench_db ops)
POSFLOW_DB=$OPS_DB
rss_mb() { echo $(( $(ps -o rss= -p "$1") / 1024 )); }
cleanup_ops() { cleanup; sql -e "drop database if exists $OPS_DB" || true; }
trap cleanup_ops EXIT

[ -f "$APP/quarkus-run.jar" ] || die "no $APP/quarkus-run.jar: ./mvnw package -DskipTests first"
log "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
check_ports "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT" "$MANAGEMENT_PORT"
bench_classpath
start_kafka "$BENCH_DIR/kafka" "fresh $(date +%s)"   # a fresh broker every run

preload() { # topic: M records sampled now, as a field device publishes them; prints how many the topic holds
    tool Preload "$BOOTSTRAP" "$M" 0 "$1" --format=live >&2 || die "preload of $1 failed"
    echo "$M"
}

# posflow at -Xmx256m (BENCH_POSFLOW_JVM_OPTS), authentication off, on OPS_DB; returns once it is ready
start_ops() { # topic log [VAR=value ...]
    local topic=$1 out=$2
    shift 2
    BENCH_POSFLOW_ENV=(POSFLOW_INGEST_TOPICS="$topic" POSFLOW_AUTH_ENABLED=false "$@")
    start_posflow 5000 "bench-$topic" "$out"
    BENCH_POSFLOW_ENV=()
    for _ in $(seq 1 1200); do
        kill -0 "$POSFLOW_PID" 2>/dev/null || die "posflow exited, see $out"
        curl -sf -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" && return
        sleep 0.1
    done
    die "posflow not ready, see $out"
}
stop_ops() { stop "$POSFLOW_PID"; }
# Rows the retention purge has deleted so far: its counter (incremented per committed batch of deletes)
purged() {
    { curl -sf "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" 2>/dev/null || true; } \
        | awk '/^posflow_positions_deleted_total\{cause="purged"/ { printf "%d", $2; found = 1 } END { if (!found) print 0 }'
}

ingest_rate() { # topic records: waits for that many rows, prints rows/s over the batches' received_at (the last batch excluded)
    local topic=$1 m=$2
    for _ in $(seq 1 6000); do
        [ "$(sql $OPS_DB -e "select count(*) from positions where kafka_topic = '$topic'")" -ge "$m" ] && break
        sleep 0.2
    done
    sql $OPS_DB -e "select round((count(*) - (select count(*) from positions where kafka_topic = '$topic' and received_at =
        (select max(received_at) from positions where kafka_topic = '$topic'))) * 1000000 /
        timestampdiff(microsecond, min(received_at), max(received_at))), count(*),
        round(timestampdiff(microsecond, min(received_at), max(received_at)) / 1000000, 1)
        from positions where kafka_topic = '$topic'"
}

# ------------------------------------------------------------------------------------------------------------- 1
sql -e "drop database if exists $OPS_DB; create database $OPS_DB"
log "preloading $M records into ops-a and ops-b"
M_A=$(preload ops-a)
M_B=$(preload ops-b)
log "topics hold $M_A and $M_B records"
log "posflow creates its schema; then $N rows of source 'bench', sampled 60 days ago, by SQL"
start_ops ops-none "$LOGS/posflow-schema.log"
stop_ops
DIGITS="(select 0 d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5
    union all select 6 union all select 7 union all select 8 union all select 9)"
sql $OPS_DB -e "insert into positions (source, sampled_at, x, y, received_at, kafka_topic, kafka_partition, kafka_offset)
    select 'bench', utc_timestamp(6) - interval 60 day + interval n * 1000 microsecond, n % 1920, (n div 1920) % 1080,
    utc_timestamp(6), 'bench-bulk', 0, n from (select a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d
    + 100000 * g.d as n from $DIGITS a, $DIGITS b, $DIGITS c, $DIGITS e, $DIGITS f, $DIGITS g) seq where n < $N;
    insert into latest_positions (source, sampled_at, kafka_topic, kafka_partition, kafka_offset, row_count,
    first_sampled_at) select 'bench', max(sampled_at), 'bench-bulk', 0, $N - 1, count(*), min(sampled_at)
    from positions where source = 'bench'"
FROM=$(sql $OPS_DB -e "select date_format(min(sampled_at), '%Y-%m-%dT%H:%i:%s.%fZ') from positions where source = 'bench'")
TO=$(sql $OPS_DB -e "select date_format(max(sampled_at) + interval 1 second, '%Y-%m-%dT%H:%i:%sZ') from positions where source = 'bench'")

# ------------------------------------------------------------------------------------------------------------- 2
log "ingest without a purge: $M records of ops-a"
start_ops ops-a "$LOGS/posflow-a.log"
read -r RATE_A ROWS_A SPAN_A < <(ingest_rate ops-a "$M_A")
log "ingest without a purge: $RATE_A rows/s ($ROWS_A rows in ${SPAN_A}s)"

# ------------------------------------------------------------------------------------------------------------- 3
sleep 5  # the app settles after ingest (JIT, GC)
for format in csv ndjson geojson; do
    before=$(rss_mb "$POSFLOW_PID")
    peak=$before
    t0=$(now_ms)
    curl -sf -o "$BENCH_DIR/export.$format" \
        "http://127.0.0.1:$HTTP_PORT/positions/export?format=$format&source=bench&from=$FROM&to=$TO" &
    curl_pid=$!
    while kill -0 "$curl_pid" 2>/dev/null; do
        r=$(rss_mb "$POSFLOW_PID"); [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.2
    done
    wait "$curl_pid" || die "export $format failed"
    ms=$(( $(now_ms) - t0 ))
    lines=$(wc -l < "$BENCH_DIR/export.$format")
    bytes=$(stat -c %s "$BENCH_DIR/export.$format")
    log "export $format: $lines lines, $((bytes / 1048576)) MB in ${ms} ms = $(( N * 1000 / ms )) rows/s;" \
        "RSS ${before} MB before, at most ${peak} MB during (+$((peak - before)) MB)"
    rm -f "$BENCH_DIR/export.$format"
done
for run in 1 2 3; do
    t0=$(now_ms)
    cells=$(curl -sf "http://127.0.0.1:$HTTP_PORT/positions/heatmap?source=bench&from=$FROM&to=$TO&cell=20" \
        | grep -o '"cx"' | wc -l)
    log "heatmap over $N rows, cell 20: $cells cells in $(( $(now_ms) - t0 )) ms (run $run)"
done
t0=$(now_ms)
cells=$(curl -sf "http://127.0.0.1:$HTTP_PORT/positions/heatmap?cell=20" | grep -o '"cx"' | wc -l)
log "heatmap over every row ($N + $M), no source or range, cell 20: $cells cells in $(( $(now_ms) - t0 )) ms"
stop_ops

# ------------------------------------------------------------------------------------------------------------- 4
log "ingest during the purge of $N old rows: $M records of ops-b, posflow.retention.max-age=30d"
t0=$(now_ms)
# the purge's own span, from its counter: the first poll that sees a committed batch, and the one that sees all N
(
    first= now=
    for _ in $(seq 1 24000); do
        now=$(now_ms); count=$(purged)
        [ -n "$first" ] || [ "$count" = 0 ] || first=$now
        [ "$count" -lt "$N" ] || { echo "$first $now"; exit 0; }
        sleep 0.5
    done
    echo "$first"
) > "$LOGS/purge-watch.txt" &
PURGE_WATCH=$!
PIDS+=("$PURGE_WATCH")
start_ops ops-b "$LOGS/posflow-b.log" POSFLOW_RETENTION_MAX_AGE=30d
read -r RATE_B ROWS_B SPAN_B < <(ingest_rate ops-b "$M_B")
ingest_done=$(( $(now_ms) - t0 ))
left=$(sql $OPS_DB -e "select count(*) from positions where source = 'bench'")
log "ingest during the purge: $RATE_B rows/s ($ROWS_B rows in ${SPAN_B}s); $left old rows left when ingest ended" \
    "(${ingest_done} ms after start) = $(awk -v b="$RATE_B" -v a="$RATE_A" 'BEGIN { if (a + 0 > 0) printf "%.2f", b / a; else print "-" }') x the rate without"
for _ in $(seq 1 12000); do
    [ "$(sql $OPS_DB -e "select count(*) from positions where source = 'bench'")" = 0 ] && break
    sleep 0.5
done
gone_ms=$(now_ms)
wait "$PURGE_WATCH" 2>/dev/null || true
read -r purge_first purge_done < "$LOGS/purge-watch.txt" || true
log "purge: $N rows gone $(( gone_ms - t0 )) ms after posflow's start; $(grep -o 'Retention purge: .*' "$LOGS/posflow-b.log" | head -1)"
log "purge duration: $(awk -v a="${purge_first:-}" -v b="${purge_done:-}" -v n="$N" -v t0="$t0" 'BEGIN {
    if (a == "" || b == "") { print "- (its counter was not seen)"; exit }
    if (b - a < 500) { printf "all of it between two polls, %.1f s after posflow'"'"'s start", (b - t0) / 1000; exit }
    printf "%.1f s from its first committed batch (%.1f s after posflow'"'"'s start) to its last, %.0f rows/s beside ingest",
        (b - a) / 1000, (a - t0) / 1000, (b > a ? n * 1000 / (b - a) : 0) }') (posflow_positions_deleted_total{cause=\"purged\"}, polled every 0.5 s)"
log "/sources after the purge: $(curl -sf "http://127.0.0.1:$HTTP_PORT/sources")"
stop_ops
