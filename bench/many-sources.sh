#!/usr/bin/env bash
# posflow with many sources (issue 9; docs/performance.md, "Many sources"): the same N records spread by their Kafka
# record key over S sources, for each S, in one run, each on a fresh database and consumer group:
#
#   bench/many-sources.sh          N = 200,000 records, S = 100, 20,000 and 100,000
#
# For each S it prints: ingest time and rate; posflow's (and MariaDB's) CPU while ingesting, and idle afterwards (no
# ingest, no requests, BENCH_IDLE_SECONDS from /proc/<pid>/stat, once the last batch is BENCH_SETTLE_SECONDS past);
# wrk -t1 -c1 p50 of a 1,000-source page of /positions/latest and of /sources (from the middle of the names), and of
# /positions/latest?source=S; RSS after ingest and idle, and after the requests; the live heap after a full GC
# (jcmd GC.class_histogram), whose growth with S is the in-memory cost per source.
#
# The application is the packaged HEAD of this repository, as bench/run.sh builds it (java -Xmx256m -jar
# quarkus-run.jar), against the MariaDB at 127.0.0.1:3306 (root, empty password; database bench_many, created and
# dropped) and a Kafka broker this script starts from Apache Kafka's jars (one partition per topic).
#
# Settings (environment):
#   BENCH_MANY_RECORDS    N (default 200000)
#   BENCH_MANY_RUNS       the runs, "100 20000 100000" by default; S:M also sets posflow.latest.max-sources-in-memory
#                         to M (e.g. 100000:20000: pages beyond the first 20,000 names come from MySQL)
#   BENCH_JFR=1           record each ingest with JFR and print where posflow's CPU went (JfrTop)
#   BENCH_IDLE_SECONDS (20), BENCH_SETTLE_SECONDS (5), BENCH_WRK_SECONDS (10), BENCH_QUIET_WAIT (600),
#   BENCH_DIR (/tmp/posflow-bench-many), POSFLOW_APP (a built quarkus-app directory), BENCH_KAFKA_PORT (19192),
#   BENCH_HTTP_PORT (18180)
set -euo pipefail

N=${BENCH_MANY_RECORDS:-200000}
RUNS=(${BENCH_MANY_RUNS:-100 20000 100000})
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench-many}
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-20}
SETTLE_SECONDS=${BENCH_SETTLE_SECONDS:-5}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
KAFKA_PORT=${BENCH_KAFKA_PORT:-19192}
CONTROLLER_PORT=$((KAFKA_PORT + 1))
HTTP_PORT=${BENCH_HTTP_PORT:-18180}
DB="127.0.0.1:3306"
WATCH_TIMEOUT=$((600 + N / 200))

mkdir -p "$BENCH_DIR"/{logs,classes}
LOGS="$BENCH_DIR/logs"
RESULTS="$BENCH_DIR/results.txt"
: > "$RESULTS"
PIDS=()
. "$HERE/lib.sh"

log "setup: N=$N, runs: ${RUNS[*]}, state in $BENCH_DIR"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
sql -e 'select 1' > /dev/null || die "no MariaDB/MySQL answering on $DB as root with an empty password"
for port in "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT"; do
    port_free "$port" || die "port $port is in use (set BENCH_KAFKA_PORT / BENCH_HTTP_PORT)"
done
if ! command -v wrk > /dev/null; then
    log "installing wrk (Debian package)"
    apt-get install -y wrk > "$LOGS/apt.log" 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y wrk >> "$LOGS/apt.log" 2>&1; } \
        || die "apt-get install -y wrk failed, see $LOGS/apt.log"
fi
for t in java javac jcmd curl; do command -v $t > /dev/null || die "$t is missing"; done

MVNW="$REPO/mvnw"
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

# posflow: HEAD of this repository, cloned and packaged apart from the working tree
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

# Kafka: a KRaft broker+controller from Apache Kafka's jars, as in bench/run.sh; data kept while N stays the same
KAFKA_DIR="$BENCH_DIR/kafka"
[ "$(cat "$BENCH_DIR/kafka.n" 2>/dev/null)" = "$N" ] || rm -rf "$KAFKA_DIR" "$BENCH_DIR/kafka.n"
mkdir -p "$KAFKA_DIR"
cat > "$BENCH_DIR/server.properties" <<PROPS
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
PROPS
KAFKA_JAVA=(java -Xms1g -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")
if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null || echo q1Sh-9_ISia_zwGINzRvyQ)" \
        -c "$BENCH_DIR/server.properties" > "$LOGS/kafka-format.log" 2>&1 || die "kafka storage format failed, see $LOGS/kafka-format.log"
fi
log "starting Kafka (kafka.Kafka) on localhost:$KAFKA_PORT"
"${KAFKA_JAVA[@]}" kafka.Kafka "$BENCH_DIR/server.properties" > "$LOGS/kafka.log" 2>&1 &
KAFKA_PID=$!
PIDS+=("$KAFKA_PID")
for _ in $(seq 1 600); do
    port_free "$KAFKA_PORT" || break
    kill -0 "$KAFKA_PID" 2>/dev/null || die "Kafka exited, see $LOGS/kafka.log"
    sleep 0.1
done
BOOTSTRAP="localhost:$KAFKA_PORT"

for run in "${RUNS[@]}"; do
    S=${run%%:*}
    log "preloading $N records over $S sources (record key src-NNNNNN) into bench-many-$S"
    tool PreloadSources "$BOOTSTRAP" "$N" "$S" "bench-many-$S" | tee -a "$LOGS/preload.log" >&2
done
echo "$N" > "$BENCH_DIR/kafka.n"

ticks() { local f; read -r -a f < "/proc/$1/stat"; echo $((f[13] + f[14])); }
# the opaque page cursor of posflow (SourceCursor): base64url("s1:" + source), no padding
cursor_after() { printf 's1:%s' "$1" | base64 -w0 | tr '+/' '-_' | tr -d '='; }
wrk_p50() { # name url: p50 and req/s of one connection
    local name=$1 url=$2
    wrk -t1 -c1 -d2s "$url" > /dev/null 2>&1
    wrk -t1 -c1 -d"${WRK_SECONDS}"s --latency "$url" > "$LOGS/$TAG-wrk-$name.txt" 2>&1
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
    sql -e "drop database if exists bench_many; create database bench_many"
    wait_quiet "posflow, $S sources"
    log "posflow: $S sources${BOUND:+, at most $BOUND in memory}"
    jvm=()
    if [ "${BENCH_JFR:-0}" = 1 ]; then
        jvm=(-XX:StartFlightRecording=filename="$LOGS/$TAG-ingest.jfr",settings=profile -XX:FlightRecorderOptions:stackdepth=256)
    fi
    tool WatchRows "jdbc:mysql://$DB/bench_many" \
        "select coalesce(max(kafka_offset) + 1, 0) from positions where kafka_topic = '$TOPIC' and kafka_partition = 0" \
        "$N" 100 "$WATCH_TIMEOUT" > "$LOGS/$TAG-watch.log" 2>&1 &
    watch=$!
    PIDS+=("$watch")
    sleep 1
    t0=$(now_ms)
    env KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:mysql://$DB/bench_many" \
        QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= \
        POSFLOW_INGEST_TOPICS="$TOPIC" POSFLOW_SAMPLER_SOURCE=off \
        ${BOUND:+POSFLOW_LATEST_MAX_SOURCES_IN_MEMORY=$BOUND} \
        MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID="bench-many-$TAG-$(date +%s)" \
        QUARKUS_HTTP_PORT=$HTTP_PORT \
        java -Xmx256m "${jvm[@]}" -jar "$APP/quarkus-run.jar" > "$LOGS/$TAG.log" 2>&1 &
    POSFLOW_PID=$!
    PIDS+=("$POSFLOW_PID")
    cpu_sampler_start "$LOGS/$TAG-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-start.txt"
    wait "$watch" || die "posflow did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/$TAG.log"
    threads_snapshot "$POSFLOW_PID" > "$LOGS/$TAG-threads-done.txt"
    sleep 0.2
    cpu_sampler_stop
    first_ms=$(sed -n 's/.*first_ms=\([0-9]*\).*/\1/p' "$LOGS/$TAG-watch.log")
    done_ms=$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' "$LOGS/$TAG-watch.log")
    result "${TAG}_rows_per_s" "$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$LOGS/$TAG-watch.log")"
    result "${TAG}_ingest_s" "$(awk -v a="$done_ms" -v b="$first_ms" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${TAG}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${TAG}_cpu" "$(cpu_cores "$LOGS/$TAG-cpu.txt" "$first_ms" "$done_ms")"
    threads_report "$LOGS/$TAG-threads-start.txt" "$LOGS/$TAG-threads-done.txt" \
        "$(awk -v a="$(now_ms)" -v b="$t0" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/$TAG-threads.txt"
    read -r rows sources <<< "$(sql bench_many -e "select (select count(*) from positions), (select count(*) from latest_positions)")"
    [ "$rows" = "$N" ] || die "posflow stored $rows rows, not $N"
    [ "$sources" = "$S" ] || die "latest_positions holds $sources sources, not $S"
    if [ "${BENCH_JFR:-0}" = 1 ]; then
        jcmd "$POSFLOW_PID" JFR.stop name=1 > /dev/null 2>&1 || true
        tool JfrTop "$LOGS/$TAG-ingest.jfr" 15 > "$LOGS/$TAG-ingest-profile.txt" 2>&1 || true
    fi

    # idle: no ingest, no requests
    sleep "$SETTLE_SECONDS"
    a=$(ticks "$POSFLOW_PID"); m=$(ticks "$MARIADB_PID"); from=$(now_ms)
    sleep "$IDLE_SECONDS"
    b=$(ticks "$POSFLOW_PID"); n=$(ticks "$MARIADB_PID"); to=$(now_ms)
    result "${TAG}_idle" "$(awk -v a="$a" -v b="$b" -v m="$m" -v n="$n" -v s="$(( to - from ))" -v hz="$CLK_TCK" \
        'BEGIN { printf "%.3f %.3f", (b - a) / hz / (s / 1000), (n - m) / hz / (s / 1000) }')"
    result "${TAG}_rss_idle_mb" "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"

    # REST, one connection: a 1,000-source page from the middle of the names, and one source
    BASE="http://127.0.0.1:$HTTP_PORT"
    mid=$(printf 'src-%06d' $((S / 2)))
    after=$(cursor_after "$(printf 'src-%06d' $((S / 2 - 1)))")
    expect=$(( S - S / 2 < 1000 ? S - S / 2 : 1000 ))
    for path in "/positions/latest?limit=1000&after=$after" "/sources?limit=1000&after=$after"; do
        curl -sf "$BASE$path" > "$LOGS/$TAG-page.json" || die "GET $path failed"
        got=$(grep -o '"source":"' "$LOGS/$TAG-page.json" | wc -l)
        [ "$got" = "$expect" ] || die "GET $path: $got items, not $expect"
        grep -q "\"source\":\"$mid\"" "$LOGS/$TAG-page.json" || die "GET $path does not start at $mid"
        result "${TAG}_$(cut -d'?' -f1 <<< "$path" | tr -d / )_bytes" "$(wc -c < "$LOGS/$TAG-page.json")"
    done
    curl -sf "$BASE/positions/latest?source=$mid" | grep -q "\"source\":\"$mid\"" || die "GET /positions/latest?source=$mid failed"
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
sql -e "drop database bench_many"
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
                 tag, r / r0, m / m0, (e > e0 ? (h - h0) / (e - e0) : 0), e - e0 }'
done
echo "wrk errors (should be empty):"
grep '_errors=.' "$RESULTS" || true
echo "Logs, wrk output, histograms$( [ "${BENCH_JFR:-0}" = 1 ] && echo ', JFR profiles') in $LOGS"
} | tee "$BENCH_DIR/table.txt"
