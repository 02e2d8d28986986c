#!/usr/bin/env bash
# The write path: posflow's plain JDBC batch (RawLimit, mode plain) beside Hibernate's best batched write of the same
# rows (HibernateWrite: StatelessSession.insertMultiple with hibernate.jdbc.batch_size, pooled table ids or assigned
# ids), alternating writer by writer in each round so that a busy machine weighs on all of them alike.
# See docs/performance.md ("Panache write path").
#
#   bench/write-path.sh [rows] [rounds] [batch]     defaults: 200000 rows, 3 rounds, batches of 1000 rows
#
# Writes into database <BENCH_DB_PREFIX>_write (bench_write) on 127.0.0.1:3306 (created and dropped here). Needs java,
# javac and the mysql client; class path and helpers as bench/run.sh (bench/lib.sh).
set -euo pipefail

N=${1:-200000}
ROUNDS=${2:-3}
BATCH=${3:-1000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
. "$HERE/lib.sh"
BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench}/write-path
bench_init "$N"
OUT=$LOGS
bench_classpath
CP=$TOOLS_CP
WRITE_DB=$(bench_db write)
sql -e "drop database if exists $WRITE_DB; create database $WRITE_DB"
cleanup_write() { cleanup; sql -e "drop database if exists $WRITE_DB"; }
trap cleanup_write EXIT
URL=jdbc:mysql://127.0.0.1:3306/$WRITE_DB

run() { # label main-class mode -> prints the write's seconds
    java -Xmx512m -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "dev.posflow.bench.$2" "$URL" "$N" "$BATCH" "$3" \
        > "$OUT/$1.out" 2> "$OUT/$1.err" || { echo "$2 $3 failed, see $OUT/$1.err" >&2; exit 1; }
    grep -o 'seconds=[0-9.]*' "$OUT/$1.out" | cut -d= -f2
}
rate() { echo "$N / $1" | bc; }
echo "rows=$N batch=$BATCH rounds=$ROUNDS cores=$(nproc) load before: $(cut -d' ' -f1-3 /proc/loadavg)"
total_jdbc=0 total_table=0 total_assigned=0
for round in $(seq 1 "$ROUNDS"); do
    jdbc=$(run jdbc RawLimit plain)
    table=$(run hibernate-table HibernateWrite table)
    assigned=$(run hibernate-assigned HibernateWrite assigned)
    total_jdbc=$(echo "$total_jdbc + $jdbc" | bc) total_table=$(echo "$total_table + $table" | bc)
    total_assigned=$(echo "$total_assigned + $assigned" | bc)
    echo "round $round: jdbc $(rate "$jdbc") rows/s, hibernate-table $(rate "$table") rows/s," \
        "hibernate-assigned $(rate "$assigned") rows/s"
done
echo "all rounds: jdbc $(echo "$ROUNDS * $N / $total_jdbc" | bc) rows/s;" \
    "hibernate-table $(echo "$ROUNDS * $N / $total_table" | bc) rows/s ($(printf "%.2f" "$(echo "scale=4; $total_jdbc / $total_table" | bc)") x jdbc);" \
    "hibernate-assigned $(echo "$ROUNDS * $N / $total_assigned" | bc) rows/s ($(printf "%.2f" "$(echo "scale=4; $total_jdbc / $total_assigned" | bc)") x jdbc)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
