#!/usr/bin/env bash
# posflow throughput benchmark: one run on this machine, one table at the end. See docs/performance.md.
#
#   bench/run.sh [N]          N records (default 1,000,000); e.g. bench/run.sh 100000 for a quick run
#
# In one run, on the MariaDB at 127.0.0.1:3306 (root, empty password) and a Kafka broker it starts from Apache
# Kafka's own jars, with the same N samples:
#   1. the limit: raw JDBC multi-row INSERTs into a table of posflow's shape (database bench_raw);
#   2. posflow, the packaged app (java -Xmx256m -jar quarkus-run.jar), ingesting topic bench-json (bench_posflow);
#      then wrk against its REST API over the N rows, start to first request, RSS, EXPLAIN of its queries;
#   3. the peer: Debezium JDBC sink 3.4.3.Final in a Kafka Connect 4.1.2 standalone worker, topic bench-peer
#      (bench_peer).
# Topics have ONE partition: posflow ingests with one consumer, and so does the peer's single task.
#
# Settings (environment):
#   BENCH_DIR                 state and logs (default /tmp/posflow-bench): Kafka data (kept between runs with the
#                             same N), the app's clone and build, the connector plugin, logs of every process
#   POSFLOW_APP               an already built quarkus-app directory to run instead of building HEAD of this repo
#   BENCH_BATCH_SIZES         posflow.ingest.batch-size values to run, "5000 1000" by default; the FIRST is the
#                             headline (ratios, REST, start, RSS)
#   BENCH_PEER_BATCH_SIZES    the peer's batch.size values, "5000 500" by default (5000 tuned, 500 its default);
#                             the FIRST is the headline
#   BENCH_JFR=1               record the headline posflow ingest with JFR and print where CPU went
#   BENCH_WRK_SECONDS         duration of each wrk run (default 20), after a 5 s warm-up
#   BENCH_QUIET_WAIT          before each phase, wait at most this many seconds (default 600) for the machine to be
#                             idle; a phase that shared the machine shows it under 'others' in the CPU lines
#   BENCH_KAFKA_PORT, BENCH_HTTP_PORT, BENCH_CONNECT_PORT   19092, 18080, 18083 by default
#   BENCH_MANAGEMENT_PORT                                 posflow's /q/* port, 18090 by default
set -euo pipefail

N=${1:-1000000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench}
BATCH_SIZES=(${BENCH_BATCH_SIZES:-5000 1000})
PEER_BATCH_SIZES=(${BENCH_PEER_BATCH_SIZES:-5000 500})
WRK_SECONDS=${BENCH_WRK_SECONDS:-20}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19092}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
HTTP_PORT=${BENCH_HTTP_PORT:-18080}
CONNECT_PORT=${BENCH_CONNECT_PORT:-18083}
MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18090}
DEBEZIUM_VERSION=3.4.3.Final
JSON_TOPIC=bench-json
PEER_TOPIC=bench-peer
DB="127.0.0.1:3306"
WATCH_TIMEOUT=$((600 + N / 500))     # seconds; generous: the slowest path seen was ~2,000 rows/s

mkdir -p "$BENCH_DIR"/{logs,classes,plugins}
LOGS="$BENCH_DIR/logs"
RESULTS="$BENCH_DIR/results.txt"
: > "$RESULTS"
PIDS=()

. "$HERE/lib.sh"

# ---------------------------------------------------------------------------------------------------------------- 0
log "setup: N=$N, state in $BENCH_DIR"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
BUSY=$(top -b -n 2 -d 1 -w 200 | awk '/^ *PID/ { n++; next } n == 2 && $9 + 0 >= 20 { printf "%s(%s%%) ", $12, $9 }')
[ -z "$BUSY" ] || log "warning: busy processes at start, results will be noisy: $BUSY"
sql -e 'select 1' > /dev/null || die "no MariaDB/MySQL answering on $DB as root with an empty password"
for port in "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT" "$CONNECT_PORT" "$MANAGEMENT_PORT"; do
    port_free "$port" || die "port $port is in use (set BENCH_KAFKA_PORT / BENCH_HTTP_PORT / BENCH_CONNECT_PORT)"
done
if ! command -v wrk > /dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y wrk > "$LOGS/apt.log" 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y wrk >> "$LOGS/apt.log" 2>&1; } \
        || die "apt-get install -y wrk failed, see $LOGS/apt.log"
fi
for tool in java javac jfr curl; do command -v $tool > /dev/null || die "$tool is missing"; done

MVNW="$REPO/mvnw"
# Class path of the helpers, the broker and the Connect worker (bench/pom.xml, not a module of the main build)
CP_FILE="$BENCH_DIR/classpath.txt"
if [ ! -s "$CP_FILE" ] || [ "$HERE/pom.xml" -nt "$CP_FILE" ]; then
    log "resolving the bench class path (bench/pom.xml)"
    "$MVNW" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" > "$LOGS/resolve.log" 2>&1 \
        || die "dependency:build-classpath failed, see $LOGS/resolve.log"
fi
CP=$(cat "$CP_FILE")
log "compiling bench/src"
rm -rf "$BENCH_DIR/classes" && mkdir -p "$BENCH_DIR/classes"
javac -nowarn -d "$BENCH_DIR/classes" -cp "$CP" "$HERE"/src/dev/posflow/bench/*.java
TOOLS_CP="$BENCH_DIR/classes:$CP"
tool() { java -Xmx512m -cp "$TOOLS_CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "dev.posflow.bench.$@"; }

# The peer's plugin: the connector's 'plugin' tar.gz bundles debezium-sink and the JDBC drivers (the plain jar's
# dependency io.debezium:debezium-sink is not served).
PLUGIN_DIR="$BENCH_DIR/plugins/debezium-connector-jdbc"
if [ ! -d "$PLUGIN_DIR" ]; then
    log "fetching the Debezium JDBC sink $DEBEZIUM_VERSION plugin"
    "$MVNW" -B -q -f "$HERE/pom.xml" dependency:copy \
        -Dartifact=io.debezium:debezium-connector-jdbc:$DEBEZIUM_VERSION:tar.gz:plugin \
        -DoutputDirectory="$BENCH_DIR/plugins" > "$LOGS/plugin.log" 2>&1 || die "plugin download failed, see $LOGS/plugin.log"
    tar xzf "$BENCH_DIR/plugins/debezium-connector-jdbc-$DEBEZIUM_VERSION-plugin.tar.gz" -C "$BENCH_DIR/plugins"
    rm "$BENCH_DIR/plugins/debezium-connector-jdbc-$DEBEZIUM_VERSION-plugin.tar.gz"
fi
[ -f "$PLUGIN_DIR/debezium-connector-jdbc-$DEBEZIUM_VERSION.jar" ] || die "no connector jar in $PLUGIN_DIR"

# posflow: HEAD of this repository, cloned and packaged apart from the working tree (which someone may be building)
if [ -n "${POSFLOW_APP:-}" ]; then
    APP="$POSFLOW_APP"
    APP_COMMIT="(prebuilt $APP)"
else
    HEAD=$(git -C "$REPO" rev-parse HEAD)
    if [ "$(cat "$BENCH_DIR/app.commit" 2>/dev/null)" != "$HEAD" ] || [ ! -f "$BENCH_DIR/app/target/quarkus-app/quarkus-run.jar" ]; then
        log "building posflow $(git -C "$REPO" log -1 --format='%h %s' | cut -c1-70) in $BENCH_DIR/app"
        rm -rf "$BENCH_DIR/app" "$BENCH_DIR/app.commit"
        git clone -q "$REPO" "$BENCH_DIR/app"
        (cd "$BENCH_DIR/app" && ./mvnw -o -B -q package -DskipTests > "$LOGS/build.log" 2>&1) \
            || die "posflow build failed, see $LOGS/build.log"
        echo "$HEAD" > "$BENCH_DIR/app.commit"
    fi
    APP="$BENCH_DIR/app/target/quarkus-app"
    APP_COMMIT=$(git -C "$REPO" log -1 --format='%h %s' | cut -c1-60)
    [ -z "$(git -C "$REPO" status --porcelain -- src pom.xml)" ] || log "note: uncommitted changes under src/ or pom.xml are NOT benchmarked (HEAD is)"
fi
result app "$APP_COMMIT"
# posflow runs as deployed, authentication on: a reader token minted by the jar's token command; every request sends it
MINTED=$(java -jar "$APP/quarkus-run.jar" token --role reader --name bench) || die "the token command failed"
BENCH_TOKEN=$(sed -n 2p <<< "$MINTED")
BENCH_TOKEN_ENTRY=$(sed -n 5p <<< "$MINTED")
AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")

# Kafka: a KRaft broker+controller from Apache Kafka's jars (kafka.Kafka), data kept while N stays the same
KAFKA_DIR="$BENCH_DIR/kafka"
if [ "$(cat "$BENCH_DIR/kafka.n" 2>/dev/null)" != "$N" ]; then
    rm -rf "$KAFKA_DIR" "$BENCH_DIR/kafka.n"
fi
mkdir -p "$KAFKA_DIR"
cat > "$BENCH_DIR/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DIR/data
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.partitions=1
auto.create.topics.enable=true
log.retention.hours=-1
EOF
KAFKA_JAVA=(java -Xms1g -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")
if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null || echo q1Sh-9_ISia_zwGINzRvyQ)" \
        -c "$BENCH_DIR/server.properties" > "$LOGS/kafka-format.log" 2>&1 || die "kafka storage format failed, see $LOGS/kafka-format.log"
fi
log "starting Kafka 4.1.2 (kafka.Kafka) on localhost:$KAFKA_PORT"
"${KAFKA_JAVA[@]}" kafka.Kafka "$BENCH_DIR/server.properties" > "$LOGS/kafka.log" 2>&1 &
KAFKA_PID=$!
PIDS+=("$KAFKA_PID")
for _ in $(seq 1 600); do
    port_free "$KAFKA_PORT" || break
    kill -0 "$KAFKA_PID" 2>/dev/null || die "Kafka exited, see $LOGS/kafka.log"
    sleep 0.1
done
BOOTSTRAP="localhost:$KAFKA_PORT"

# ---------------------------------------------------------------------------------------------------------------- 1
log "preloading $N records into $JSON_TOPIC (seed format) and $PEER_TOPIC (schema envelope), 1 partition each"
tool Preload "$BOOTSTRAP" "$N" "$JSON_TOPIC" "$PEER_TOPIC" | tee "$LOGS/preload.log" >&2
echo "$N" > "$BENCH_DIR/kafka.n"

# ---------------------------------------------------------------------------------------------------------------- 2
for db in bench_raw bench_posflow bench_peer; do sql -e "drop database if exists $db"; done
sql -e "create database bench_raw"
raw_run() { # mode key
    local mode=$1 key=$2 pid line
    wait_quiet "the limit ($mode)"
    (exec java -Xmx512m -cp "$TOOLS_CP" dev.posflow.bench.RawLimit "jdbc:mysql://$DB/bench_raw" "$N" 1000 "$mode") \
        > "$LOGS/raw-$mode.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    cpu_sampler_start "$LOGS/raw-$mode-cpu.txt" "$pid" "$MARIADB_PID"
    wait "$pid" || { cpu_sampler_stop; die "RawLimit $mode failed, see $LOGS/raw-$mode.log"; }
    cpu_sampler_stop
    line=$(grep '^RAW' "$LOGS/raw-$mode.log")
    echo "$line" >&2
    result "${key}_rows_per_s" "$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' <<< "$line")"
    result "${key}_cpu" "$(cpu_cores "$LOGS/raw-$mode-cpu.txt" "$(sed -n 's/.*first_ms=\([0-9]*\).*/\1/p' <<< "$line")" \
        "$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' <<< "$line")")"
}
log "the limit: raw JDBC multi-row INSERTs, batches of 1000, one transaction each"
raw_run plain raw
RAW_SHAPE=$(sql -e "show create table bench_raw.positions\G" | sed 1,2d | sed 's/ AUTO_INCREMENT=[0-9]*//')
log "the same with posflow's statement (ON DUPLICATE KEY UPDATE id = id)"
raw_run odku raw_odku
log "the same rows into the peer's table shape (Kafka coordinates as primary key, no other index)"
raw_run peer-shape raw_peer_shape
sql -e "drop database bench_raw"

# ---------------------------------------------------------------------------------------------------------------- 3
POSFLOW_PID=
# Polls how many rows a database's table holds, in the background; sets watch to its pid. The caller declares watch.
start_watch() { # database offset-sql tag
    tool WatchRows "jdbc:mysql://$DB/$1" "$2" "$N" 100 "$WATCH_TIMEOUT" > "$LOGS/$3-watch.log" 2>&1 &
    watch=$!
    PIDS+=("$watch")
    sleep 1
}

start_posflow() { # batch-size group-id log [extra JVM options...]
    local batch=$1 group=$2 out=$3
    shift 3
    env KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://$DB/bench_posflow" \
        QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= \
        POSFLOW_INGEST_TOPICS=$JSON_TOPIC POSFLOW_SAMPLER_SOURCE=off \
        POSFLOW_INGEST_BATCH_SIZE="$batch" \
        MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID="$group" \
        QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
        POSFLOW_AUTH_TOKENS="$BENCH_TOKEN_ENTRY" \
        java -Xmx256m "$@" -jar "$APP/quarkus-run.jar" > "$out" 2>&1 &
    POSFLOW_PID=$!
    PIDS+=("$POSFLOW_PID")
}

wait_first_request() { # start-ms: prints "first_ms ready_ms"
    local t0=$1 first= ready= code
    for _ in $(seq 1 6000); do
        kill -0 "$POSFLOW_PID" 2>/dev/null || die "posflow exited, see its log in $LOGS"
        if [ -z "$first" ]; then
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "${AUTH[@]}" "http://127.0.0.1:$HTTP_PORT/positions/latest" || true)
            [ "$code" != "000" ] && first=$(( $(now_ms) - t0 ))
        fi
        if [ -n "$first" ]; then
            code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" || true)
            [ "$code" = "200" ] && { ready=$(( $(now_ms) - t0 )); break; }
        fi
        sleep 0.01
    done
    echo "$first $ready"
}

POSFLOW_OFFSET_SQL="select coalesce(max(kafka_offset) + 1, 0) from positions where kafka_topic = '$JSON_TOPIC' and kafka_partition = 0"

posflow_run() { # batch-size headline(0|1)
    local batch=$1 headline=$2 tag="posflow_b$1" group="bench-$1-$(date +%s)" jvm=()
    LAST_GROUP=$group
    sql -e "drop database if exists bench_posflow; create database bench_posflow"
    wait_quiet "posflow, batch size $batch"
    if [ "$headline" = 1 ] && [ "${BENCH_JFR:-0}" = 1 ]; then
        jvm=(-XX:StartFlightRecording=filename="$LOGS/posflow-ingest.jfr",settings=profile -XX:FlightRecorderOptions:stackdepth=256)
    fi
    log "posflow: batch size $batch, consumer group $group"
    # the watcher first, so that it sees the first committed batch
    local watch t0
    start_watch bench_posflow "$POSFLOW_OFFSET_SQL" "$tag"
    t0=$(now_ms)
    start_posflow "$batch" "$group" "$LOGS/$tag.log" "${jvm[@]}"
    cpu_sampler_start "$LOGS/$tag-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    read -r first ready < <(wait_first_request "$t0")
    [ -n "$first" ] && [ -n "$ready" ] || die "posflow served no request or never got ready, see $LOGS/$tag.log"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$tag-threads-ready.txt"
    local ready_ms
    ready_ms=$(now_ms)
    log "posflow: first request served after ${first} ms, ready after ${ready} ms"
    wait "$watch" || die "posflow did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/$tag.log"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$tag-threads-done.txt"
    threads_report "$LOGS/$tag-threads-ready.txt" "$LOGS/$tag-threads-done.txt" \
        "$(awk -v a="$(now_ms)" -v b="$ready_ms" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/$tag-threads.txt"
    sleep 0.2
    cpu_sampler_stop
    cat "$LOGS/$tag-watch.log" >&2
    local done_ms rows_per_s first_ms
    done_ms=$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    first_ms=$(sed -n 's/.*first_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    result "${tag}_cpu" "$(cpu_cores "$LOGS/$tag-cpu.txt" "$first_ms" "$done_ms")"
    rows_per_s=$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    # received_at is set once per batch, when its write starts: the rows of every batch but the last were written
    # between min(received_at) and max(received_at)
    local span
    span=$(sql bench_posflow -e "select count(*), timestampdiff(microsecond, min(received_at), max(received_at)),
        (select count(*) from positions where received_at = (select max(received_at) from positions)),
        (select count(distinct received_at) from positions) from positions")
    read -r count span_us last_batch batches <<< "$span"
    [ "$count" = "$N" ] || die "posflow stored $count rows, not $N"
    local dup
    dup=$(sql bench_posflow -e "select count(*) - count(distinct kafka_offset) from positions")
    [ "$dup" = 0 ] || die "posflow stored $dup duplicate offsets"
    result "${tag}_rows_per_s" "$rows_per_s"
    result "${tag}_received_at_rows_per_s" "$(( (N - last_batch) * 1000000 / (span_us > 0 ? span_us : 1) ))"
    result "${tag}_batches" "$batches"
    result "${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    if [ "$headline" = 1 ]; then
        result posflow_first_request_ms "$first"
        result posflow_ready_ms "$ready"
        result posflow_started_in "$(sed -n 's/.*started in \([0-9.]*s\).*/\1/p' "$LOGS/$tag.log" | head -1)"
        if [ "${BENCH_JFR:-0}" = 1 ]; then
            jcmd "$POSFLOW_PID" JFR.stop name=1 > /dev/null 2>&1 || jcmd "$POSFLOW_PID" JFR.dump filename="$LOGS/posflow-ingest.jfr" > /dev/null 2>&1 || true
        fi
    else
        stop "$POSFLOW_PID"
    fi
}

HEADLINE_BATCH=${BATCH_SIZES[0]}
for ((i = ${#BATCH_SIZES[@]} - 1; i >= 0; i--)); do   # the headline last: it stays up for the REST measurements
    posflow_run "${BATCH_SIZES[$i]}" "$([ "$i" = 0 ] && echo 1 || echo 0)"
done
APP_SHAPE=$(sql -e "show create table bench_posflow.positions\G" | sed 1,2d | sed 's/ AUTO_INCREMENT=[0-9]*//')
if [ "$RAW_SHAPE" = "$APP_SHAPE" ]; then result table_shape same; else
    result table_shape DIFFERENT
    diff <(echo "$RAW_SHAPE") <(echo "$APP_SHAPE") > "$LOGS/shape.diff" || true
    log "the raw limit's table differs from posflow's, see $LOGS/shape.diff"
fi

# ---------------------------------------------------------------------------------------------------------------- 5
BASE="http://127.0.0.1:$HTTP_PORT"
curl -sf "${AUTH[@]}" "$BASE/positions/latest" > "$LOGS/latest.json" || die "GET /positions/latest failed"
grep -q "\"x\":$((N - 1))" "$LOGS/latest.json" || die "latest is not the last sample: $(head -c 300 "$LOGS/latest.json")"
wrk_run() { # name path
    local name=$1 url="$BASE$2"
    wait_quiet "wrk $name"
    log "wrk -t2 -c50 -d${WRK_SECONDS}s --latency $url (after a 5 s warm-up)"
    wrk -t2 -c50 -d5s "$url" > /dev/null 2>&1
    cpu_sampler_start "$LOGS/wrk-$name-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID"
    local from_ms to_ms
    from_ms=$(now_ms)
    wrk -t2 -c50 -d"${WRK_SECONDS}"s --latency "$url" > "$LOGS/wrk-$name.txt" 2>&1
    to_ms=$(now_ms)
    sleep 0.2
    cpu_sampler_stop
    result "${name}_cpu" "$(cpu_cores "$LOGS/wrk-$name-cpu.txt" "$((from_ms + 200))" "$((to_ms - 200))")"
    result "${name}_rps" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_p50" "$(awk '/^ +50%/ { print $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_p99" "$(awk '/^ +99%/ { print $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_errors" "$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$LOGS/wrk-$name.txt")"
}
wrk_run latest "/positions/latest"
wrk_run history "/positions?source=$JSON_TOPIC&limit=100"
# the service time, without queueing: one connection
wait_quiet "wrk latest, 1 connection"
log "wrk -t1 -c1 -d${WRK_SECONDS}s --latency $BASE/positions/latest"
wrk -t1 -c1 -d"${WRK_SECONDS}"s --latency "$BASE/positions/latest" > "$LOGS/wrk-latest-c1.txt" 2>&1
result latest_c1_rps "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGS/wrk-latest-c1.txt")"
result latest_c1_p50 "$(awk '/^ +50%/ { print $2 }' "$LOGS/wrk-latest-c1.txt")"
result latest_c1_p99 "$(awk '/^ +99%/ { print $2 }' "$LOGS/wrk-latest-c1.txt")"
# the ceiling of the HTTP stack on this machine: a static file, no database
wrk_run static "/index.html"
result posflow_rss_mb "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"

# EXPLAIN of the SQL that posflow really sends for each REST query (taken from the general log, connections of
# bench_posflow only), and one timed request each
log "EXPLAIN of posflow's REST queries"
EXPLAIN_OUT="$LOGS/explain.txt"
: > "$EXPLAIN_OUT"
PREV_LOG=$(sql -e "select @@general_log, @@log_output")
read -r prev_general prev_output <<< "$PREV_LOG"
sql -e "truncate table mysql.general_log" 2>/dev/null || true
sql -e "set global log_output = 'TABLE'; set global general_log = 1"
# a page in the middle of the samples (sample i is at 2021-04-10T00:00:00Z + i ms), then the page after it
FROM=$(date -u -d "@$((1618012800 + N / 4000))" +%Y-%m-%dT%H:%M:%SZ)
TO=$(date -u -d "@$((1618012800 + N / 2000))" +%Y-%m-%dT%H:%M:%SZ)
first_page=$(curl -sf "${AUTH[@]}" "$BASE/positions?source=$JSON_TOPIC&from=$FROM&to=$TO&limit=100")
next=$(sed -n 's/.*"next":"\([^"]*\)".*/\1/p' <<< "$first_page")
[ -n "$next" ] || log "warning: no next page for $FROM..$TO"
declare -A REQUESTS=(
    [latest]="/positions/latest"
    [latest_of_source]="/positions/latest?source=$JSON_TOPIC"
    [history_source]="/positions?source=$JSON_TOPIC&limit=100"
    [history_source_range_next_page]="/positions?source=$JSON_TOPIC&from=$FROM&to=$TO&limit=100&after=$next"
    [history_no_source]="/positions?limit=100"
    [history_no_source_desc]="/positions?limit=100&order=desc"
    [by_id]="/positions/12345"
    [sources]="/sources"
)
for name in latest latest_of_source history_source history_source_range_next_page history_no_source history_no_source_desc by_id sources; do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${AUTH[@]}" "$BASE${REQUESTS[$name]}")
    result "single_${name}" "$t"
    sleep 0.2
done
sql -e "set global general_log = $prev_general; set global log_output = '$prev_output'"
sql --raw -e "select replace(replace(convert(argument using utf8mb4), '\n', ' '), '\r', ' ')
        from mysql.general_log where command_type = 'Query'
        and thread_id in (select id from information_schema.processlist where db = 'bench_posflow')
        and convert(argument using utf8mb4) regexp '^[[:space:]]*select'
        order by event_time" > "$LOGS/rest-sql.txt" || true
sql -e "truncate table mysql.general_log" 2>/dev/null || true
while IFS= read -r query; do
    [ -n "$query" ] || continue
    case "$query" in *information_schema*|*@@*|*"select 1"*) continue ;; esac
    {
        echo "-- $query"
        mysql -h127.0.0.1 -P3306 -uroot -t bench_posflow -e "explain $query" 2>&1 || true
        # what the plan really did: MariaDB's ANALYZE (r_rows), or MySQL's EXPLAIN ANALYZE; and the index entries
        # the server walked for it (Handler_read_*, which also counts rows that index condition pushdown skipped)
        mysql -h127.0.0.1 -P3306 -uroot -t bench_posflow -e "analyze $query" 2>/dev/null \
            || sql bench_posflow -e "explain analyze $query" 2>&1 || true
        sql bench_posflow -e "flush status; $query; show session status where (variable_name like 'Handler_read%' or variable_name like 'Handler_icp%') and value > 0" \
            2>&1 | awk -F'\t' 'NF == 2 && $1 ~ /^Handler_(read|icp)/ { printf "%s=%s ", $1, $2 } END { print "" }' || true
        echo
    } >> "$EXPLAIN_OUT"
done < "$LOGS/rest-sql.txt"
stop "$POSFLOW_PID"

# restarts as an operator does them: schema migrated, N rows in place, nothing left to ingest; three, as a JVM start
# on 2 cores varies by seconds; the median is reported
log "posflow: 3 restarts on the migrated database with its $N rows"
RESTARTS=()
for r in 1 2 3; do
    wait_quiet "restart $r"
    t0=$(now_ms)
    start_posflow "$HEADLINE_BATCH" "$LAST_GROUP" "$LOGS/posflow-restart-$r.log"
    read -r first ready < <(wait_first_request "$t0")
    [ -n "$first" ] && [ -n "$ready" ] || die "the restarted posflow served no request, see $LOGS/posflow-restart-$r.log"
    started_in=$(sed -n 's/.*started in \([0-9.]*s\).*/\1/p' "$LOGS/posflow-restart-$r.log" | head -1)
    RESTARTS+=("$first $ready $started_in")
    log "  restart $r: first request after $first ms, ready after $ready ms, 'started in $started_in'"
    stop "$POSFLOW_PID"
done
read -r first ready started_in <<< "$(printf '%s\n' "${RESTARTS[@]}" | sort -n | sed -n 2p)"
result posflow_restart_first_request_ms "$first"
result posflow_restart_ready_ms "$ready"
result posflow_restart_started_in "$started_in"
result posflow_restarts "$(printf '%s\n' "${RESTARTS[@]}" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }') ms"

if [ "${BENCH_JFR:-0}" = 1 ] && [ -s "$LOGS/posflow-ingest.jfr" ]; then
    tool JfrTop "$LOGS/posflow-ingest.jfr" 20 > "$LOGS/posflow-ingest-profile.txt" 2>&1 || true
fi
sql -e "drop database bench_posflow"

# ---------------------------------------------------------------------------------------------------------------- 4
PEER_OFFSET_SQL="select coalesce(max(__connect_offset) + 1, 0) from positions_peer where __connect_topic = '$PEER_TOPIC' and __connect_partition = 0"
peer_run() { # batch-size
    local batch=$1 tag="peer_b$1" name="bench-peer-$1-$(date +%s)"
    sql -e "drop database if exists bench_peer; create database bench_peer"
    wait_quiet "the peer, batch.size $batch"
    cat > "$BENCH_DIR/worker.properties" <<EOF
bootstrap.servers=$BOOTSTRAP
key.converter=org.apache.kafka.connect.json.JsonConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
key.converter.schemas.enable=true
value.converter.schemas.enable=true
offset.storage.file.filename=$BENCH_DIR/connect-$name.offsets
offset.flush.interval.ms=10000
plugin.path=$BENCH_DIR/plugins
plugin.discovery=hybrid_warn
listeners=http://127.0.0.1:$CONNECT_PORT
consumer.max.poll.records=$batch
consumer.max.partition.fetch.bytes=16777216
consumer.fetch.max.bytes=67108864
EOF
    cat > "$BENCH_DIR/connector.properties" <<EOF
name=$name
connector.class=io.debezium.connector.jdbc.JdbcSinkConnector
tasks.max=1
topics=$PEER_TOPIC
connection.url=jdbc:mariadb://$DB/bench_peer
connection.username=root
connection.password=
insert.mode=insert
primary.key.mode=kafka
schema.evolution=basic
batch.size=$batch
collection.name.format=positions_peer
EOF
    log "peer: Debezium JDBC sink, batch.size=$batch and consumer.max.poll.records=$batch"
    local watch t0
    start_watch bench_peer "$PEER_OFFSET_SQL" "$tag"
    t0=$(now_ms)
    java -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=info -cp "$CP" \
        org.apache.kafka.connect.cli.ConnectStandalone "$BENCH_DIR/worker.properties" "$BENCH_DIR/connector.properties" \
        > "$LOGS/$tag.log" 2>&1 &
    local worker=$!
    PIDS+=("$worker")
    cpu_sampler_start "$LOGS/$tag-cpu.txt" "$worker" "$MARIADB_PID" "$KAFKA_PID"
    # per-thread CPU of the worker from its first rows on
    local t_first
    for _ in $(seq 1 3000); do
        [ "$(sql bench_peer -e "$PEER_OFFSET_SQL" 2>/dev/null || echo 0)" -gt 0 ] && break
        kill -0 "$watch" 2>/dev/null || break
        sleep 0.1
    done
    t_first=$(now_ms)
    threads_snapshot "$worker" > "$LOGS/$tag-threads-first.txt"
    wait "$watch" || { stop "$worker"; die "the peer did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/$tag.log"; }
    threads_snapshot "$worker" > "$LOGS/$tag-threads-done.txt"
    threads_report "$LOGS/$tag-threads-first.txt" "$LOGS/$tag-threads-done.txt" \
        "$(awk -v a="$(now_ms)" -v b="$t_first" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/$tag-threads.txt"
    sleep 0.2
    cpu_sampler_stop
    cat "$LOGS/$tag-watch.log" >&2
    result "${tag}_cpu" "$(cpu_cores "$LOGS/$tag-cpu.txt" "$(sed -n 's/.*first_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")" \
        "$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")")"
    result "${tag}_rows_per_s" "$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")"
    local done_ms
    done_ms=$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    result "${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${tag}_rss_mb" "$(( $(ps -o rss= -p "$worker") / 1024 ))"
    local count
    count=$(sql bench_peer -e "select count(*) from positions_peer")
    [ "$count" = "$N" ] || die "the peer stored $count rows, not $N"
    sql bench_peer -e "show create table positions_peer\G" | sed 1,2d > "$LOGS/peer-table.txt"
    sql bench_peer -e "select * from positions_peer order by __connect_offset limit 1" > "$LOGS/peer-row.txt"
    stop "$worker"
    rm -f "$BENCH_DIR/connect-$name.offsets"
}
for batch in "${PEER_BATCH_SIZES[@]}"; do peer_run "$batch"; done
sql -e "drop database bench_peer"
stop "$KAFKA_PID"

# ---------------------------------------------------------------------------------------------------------------- 6
RAW=$(get raw_rows_per_s)
POSFLOW=$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")
PEER=$(get "peer_b${PEER_BATCH_SIZES[0]}_rows_per_s")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
ms_of() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print v }'; }
verdict() { [ "$1" = 1 ] && echo "met" || echo "MISSED"; }
LATEST_P99_MS=$(ms_of "$(get latest_p99)")

{
echo
echo "posflow benchmark: N=$N records, 1 partition, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "posflow: $(get app)"
echo "MariaDB $(sql -e 'select version()'), $(java -version 2>&1 | head -1)"
echo "load average at start: $LOAD_AT_START${BUSY:+; busy then: $BUSY}"
echo
printf '| %-58s | %-28s | %-30s |\n' "measure" "value" "target"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..30})" "$(printf -- '-%.0s' {1..32})"
row() { printf '| %-58s | %-28s | %-30s |\n' "$1" "$2" "$3"; }
row "limit: raw JDBC 1000-row INSERTs, rows/s" "$RAW" ""
row "  same, posflow's INSERT ... ON DUPLICATE KEY, rows/s" "$(get raw_odku_rows_per_s)" ""
row "  same rows, the peer's table shape (Kafka key PK only)" "$(get raw_peer_shape_rows_per_s)" ""
for b in "${BATCH_SIZES[@]}"; do
    label="posflow ingest, batch-size $b, rows/s"
    [ "$b" = "$HEADLINE_BATCH" ] && label="posflow ingest, batch-size $b (default), rows/s"
    row "$label" "$(get "posflow_b${b}_rows_per_s") (received_at: $(get "posflow_b${b}_received_at_rows_per_s"))" ""
    row "  wall time, JVM start to last row (batches)" "$(get "posflow_b${b}_wall_s") s ($(get "posflow_b${b}_batches"))" ""
done
for b in "${PEER_BATCH_SIZES[@]}"; do
    row "peer: Debezium JDBC sink, batch.size $b, rows/s" "$(get "peer_b${b}_rows_per_s")" ""
    row "  wall time, worker start to last row" "$(get "peer_b${b}_wall_s") s" ""
done
R1=$(ratio "$POSFLOW" "$RAW"); R2=$(ratio "$POSFLOW" "$PEER")
row "posflow / limit" "$R1" ">= 0.7: $(verdict "$(awk -v r="$R1" 'BEGIN { print (r >= 0.7) }')")"
row "posflow / peer (batch.size ${PEER_BATCH_SIZES[0]})" "$R2" ">= 1.5: $(verdict "$(awk -v r="$R2" 'BEGIN { print (r >= 1.5) }')")"
row "GET /positions/latest: req/s, p50, p99" "$(get latest_rps), $(get latest_p50), $(get latest_p99)" "p99 < 5 ms: $(verdict "$(awk -v r="$LATEST_P99_MS" 'BEGIN { print (r < 5) }')")"
row "  same, 1 connection: req/s, p50, p99" "$(get latest_c1_rps), $(get latest_c1_p50), $(get latest_c1_p99)" ""
row "  ceiling: GET /index.html (static), 50 conn." "$(get static_rps), $(get static_p50), $(get static_p99)" ""
row "GET /positions?source=..&limit=100: req/s, p50, p99" "$(get history_rps), $(get history_p50), $(get history_p99)" ""
[ -z "$(get latest_errors)$(get history_errors)" ] || row "  wrk errors" "$(get latest_errors) $(get history_errors)" ""
row "JVM start to first served request (ready)" "$(get posflow_first_request_ms) ms ($(get posflow_ready_ms) ms)" "< 2000 ms: $(verdict "$(awk -v r="$(get posflow_first_request_ms)" 'BEGIN { print (r < 2000) }')")"
row "Quarkus 'started in'" "$(get posflow_started_in)" ""
row "restart, migrated N-row db: first request (ready), median of 3" "$(get posflow_restart_first_request_ms) ms ($(get posflow_restart_ready_ms) ms)" ""
row "  the 3 restarts, first request" "$(get posflow_restarts)" ""
row "  Quarkus 'started in'" "$(get posflow_restart_started_in)" ""
row "posflow RSS after ingest + REST load (-Xmx256m)" "$(get posflow_rss_mb) MB" ""
row "raw and posflow table shapes" "$(get table_shape)" ""
echo
echo "CPU while rows were being written, in cores of $(nproc): client / MariaDB / Kafka broker | everything else"
echo "(anything but ~0 under 'others' means another load shared the machine: compare such a run with care)"
printf '  %-34s %s\n' "limit (RawLimit / MariaDB):" "$(get raw_cpu)"
printf '  %-34s %s\n' "limit, peer's table shape:" "$(get raw_peer_shape_cpu)"
for b in "${BATCH_SIZES[@]}"; do printf '  %-34s %s\n' "posflow batch-size $b:" "$(get "posflow_b${b}_cpu")"; done
for b in "${PEER_BATCH_SIZES[@]}"; do printf '  %-34s %s\n' "peer batch.size $b:" "$(get "peer_b${b}_cpu")"; done
echo "CPU under wrk, cores: posflow / MariaDB | everything else (wrk itself included)"
for w in latest history static; do printf '  %-34s %s\n' "$w:" "$(get "${w}_cpu")"; done
echo
echo "busiest threads of posflow (batch-size $HEADLINE_BATCH) while ingesting, cores:"
head -6 "$LOGS/posflow_b${HEADLINE_BATCH}-threads.txt" | sed 's/^/  /'
echo "busiest threads of the peer (batch.size ${PEER_BATCH_SIZES[0]}) while writing, cores:"
head -6 "$LOGS/peer_b${PEER_BATCH_SIZES[0]}-threads.txt" | sed 's/^/  /'
echo
echo "rows/s: rows committed between the first poll (every 100 ms) that saw rows and the one that saw all N, over"
echo "that span; 'received_at' = posflow's rows but the last batch's over max - min received_at (set once per batch)."
echo "Logs, wrk output, EXPLAIN (explain.txt)$( [ "${BENCH_JFR:-0}" = 1 ] && echo ', JFR profile') in $LOGS"
} | tee "$BENCH_DIR/table.txt"
