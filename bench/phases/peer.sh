# Phase "peer": the Debezium JDBC sink (Kafka Connect standalone worker, one task) writes the N records of the peer
# topic into MySQL, first into the table it creates itself (the Kafka key as primary key, no other index: the
# configuration run.sh measured before this phase existed), then into a table it is given with posflow's indexes, so
# that posflow and the peer are compared on equal terms (issue 11).
#
# Needs from run.sh (or its phase driver): N, BENCH_DIR, LOGS, CP, BOOTSTRAP, KAFKA_PID, MARIADB_PID, DB,
# WATCH_TIMEOUT, PIDS, PEER_BATCH_SIZES (array; the first is the headline) and HEADLINE_BATCH (posflow's, for the
# ratio), the plugin in $BENCH_DIR/plugins, and lib.sh's functions. BENCH_PEER_TABLES="own equal" picks the tables.

: "${PEER_TOPIC:=bench-peer}"
: "${CONNECT_PORT:=${BENCH_CONNECT_PORT:-18083}}"

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

PEER_OFFSET_SQL="select coalesce(max(__connect_offset) + 1, 0) from positions_peer where __connect_topic = '$PEER_TOPIC' and __connect_partition = 0"

# One run of the sink: batch size, and "own" (it creates its table) or "equal" (peer_equal_table_ddl, created here;
# the sink must write into it as it is: its shape is compared before and after).
peer_sink_run() { # batch-size own|equal
    local batch=$1 table=$2 tag name evolution
    if [ "$table" = equal ]; then tag="peer_equal_b$batch"; evolution=none; else tag="peer_b$batch"; evolution=basic; fi
    name="bench-$tag-$(date +%s)"
    sql -e "drop database if exists bench_peer; create database bench_peer"
    local shape_before=
    if [ "$table" = equal ]; then
        sql bench_peer -e "$(peer_equal_table_ddl positions_peer)"
        shape_before=$(sql bench_peer -e "show create table positions_peer\G" | sed 1,2d)
    fi
    wait_quiet "the peer ($table table), batch.size $batch"
    cat > "$BENCH_DIR/worker.properties" <<PROPS
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
PROPS
    # schema.evolution=none on the given table: the sink writes into it as it is, and fails rather than alter it
    cat > "$BENCH_DIR/connector.properties" <<PROPS
name=$name
connector.class=io.debezium.connector.jdbc.JdbcSinkConnector
tasks.max=1
topics=$PEER_TOPIC
connection.url=jdbc:mariadb://$DB/bench_peer
connection.username=root
connection.password=
insert.mode=insert
primary.key.mode=kafka
schema.evolution=$evolution
batch.size=$batch
collection.name.format=positions_peer
PROPS
    log "peer: Debezium JDBC sink into its $table table, batch.size=$batch and consumer.max.poll.records=$batch"
    local watch t0
    tool WatchRows "jdbc:mysql://$DB/bench_peer" "$PEER_OFFSET_SQL" "$N" 100 "$WATCH_TIMEOUT" > "$LOGS/$tag-watch.log" 2>&1 &
    watch=$!
    PIDS+=("$watch")
    sleep 1
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
        kill -0 "$worker" 2>/dev/null || break
        sleep 0.1
    done
    t_first=$(now_ms)
    threads_snapshot "$worker" > "$LOGS/$tag-threads-first.txt"
    wait "$watch" || { stop "$worker"; die "the peer ($table table) did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/$tag.log"; }
    threads_snapshot "$worker" > "$LOGS/$tag-threads-done.txt"
    threads_report "$LOGS/$tag-threads-first.txt" "$LOGS/$tag-threads-done.txt" \
        "$(awk -v a="$(now_ms)" -v b="$t_first" 'BEGIN { print (a - b) / 1000 }')" > "$LOGS/$tag-threads.txt"
    sleep 0.2
    cpu_sampler_stop
    cat "$LOGS/$tag-watch.log" >&2
    local first_ms done_ms
    first_ms=$(sed -n 's/.*first_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    done_ms=$(sed -n 's/.*done_ms=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")
    result "${tag}_cpu" "$(cpu_cores "$LOGS/$tag-cpu.txt" "$first_ms" "$done_ms")"
    result "${tag}_rows_per_s" "$(sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$LOGS/$tag-watch.log")"
    result "${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${tag}_rss_mb" "$(( $(ps -o rss= -p "$worker") / 1024 ))"
    local count dup
    count=$(sql bench_peer -e "select count(*) from positions_peer")
    [ "$count" = "$N" ] || die "the peer ($table table) stored $count rows, not $N"
    dup=$(sql bench_peer -e "select count(*) - count(distinct __connect_offset) from positions_peer")
    [ "$dup" = 0 ] || die "the peer ($table table) stored $dup duplicate offsets"
    sql bench_peer -e "show create table positions_peer\G" | sed 1,2d > "$LOGS/$tag-table.txt"
    sql bench_peer -e "select * from positions_peer order by __connect_offset limit 1" > "$LOGS/$tag-row.txt"
    if [ "$table" = equal ]; then
        # the sink wrote into the table it was given: same columns and indexes (the counter aside)
        if [ "$(sed 's/ AUTO_INCREMENT=[0-9]*//' "$LOGS/$tag-table.txt")" = "$(sed 's/ AUTO_INCREMENT=[0-9]*//' <<< "$shape_before")" ]; then
            result "${tag}_table" "as given"
        else
            result "${tag}_table" "CHANGED by the sink"
            log "warning: the sink changed the table it was given, see $LOGS/$tag-table.txt"
        fi
    fi
    stop "$worker"
    rm -f "$BENCH_DIR/connect-$name.offsets"
}

phase_peer() {
    local batch table
    for table in ${BENCH_PEER_TABLES:-own equal}; do
        if [ "$table" = own ]; then
            for batch in "${PEER_BATCH_SIZES[@]}"; do peer_sink_run "$batch" own; done
        else
            # equal tables at the headline batch size only: the tuned peer against posflow's default
            peer_sink_run "${PEER_BATCH_SIZES[0]}" equal
        fi
    done
    # bench_peer stays for run.sh, which drops it after this phase (as after its section 4 before)
}

# µs of CPU per row of the first pid of a cpu line ("0.97 0.23 0.04 | others 0.06") at a rate
peer_us_per_row() { # cpu-line rows-per-s
    awk -v c="${1%% *}" -v r="$2" 'BEGIN { if (r > 0 && c ~ /^[0-9.]+$/) printf "%.1f", c * 1e6 / r; else print "-" }'
}

report_peer() {
    local b posflow peer ratio tag
    posflow=$(get "posflow_b${HEADLINE_BATCH}_rows_per_s")
    for tag in $(for b in "${PEER_BATCH_SIZES[@]}"; do echo "peer_b$b"; done) "peer_equal_b${PEER_BATCH_SIZES[0]}"; do
        [ -n "$(get "${tag}_rows_per_s")" ] || continue
        case $tag in
            peer_equal_*) row "peer into a table with posflow's indexes, batch.size ${tag##*_b}, rows/s" \
                "$(get "${tag}_rows_per_s") ($(get "${tag}_table"))" "" ;;
            *) row "peer: Debezium JDBC sink, batch.size ${tag##*_b}, rows/s" "$(get "${tag}_rows_per_s")" "" ;;
        esac
        row "  wall time, worker start to last row" "$(get "${tag}_wall_s") s" ""
        row "  CPU cores: worker / MariaDB / broker | others" "$(get "${tag}_cpu")" ""
        row "  worker's CPU per row, µs" "$(peer_us_per_row "$(get "${tag}_cpu")" "$(get "${tag}_rows_per_s")")" ""
    done
    peer=$(get "peer_equal_b${PEER_BATCH_SIZES[0]}_rows_per_s")
    if [ -n "$peer" ] && [ -n "$posflow" ]; then
        ratio=$(awk -v a="$posflow" -v b="$peer" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
        row "posflow / peer on equal tables (posflow's indexes)" "$ratio" \
            ">= 1.5: $(awk -v r="$ratio" 'BEGIN { print (r >= 1.5 ? "met" : "MISSED") }')"
    fi
    local cpu
    cpu=$(get "posflow_b${HEADLINE_BATCH}_cpu")
    if [ -n "$cpu" ] && [ -n "$posflow" ]; then
        local us
        us=$(peer_us_per_row "$cpu" "$posflow")
        row "posflow's own CPU per row, µs (batch-size $HEADLINE_BATCH)" "$us" \
            "<= 15: $(awk -v u="$us" 'BEGIN { print (u != "-" && u <= 15 ? "met" : "MISSED") }')"
    fi
}
