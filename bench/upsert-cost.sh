#!/usr/bin/env bash
# What MariaDB spends on each part of an ingest batch when its records come from many sources (issue 19; see
# docs/performance.md, "the upsert written as text, and what MariaDB spends per source"): posflow's own SQL, as text,
# through the mysql client, so that only the server's work is measured. Each batch is one transaction of 5,000 rows:
# the multi-row INSERT into positions, then (in the "upsert" runs) ingest's multi-row upsert of latest_positions with
# one row per source of the batch, as IngestWriter writes them. Sample i has source src-NNNNNN = i mod S, as the
# benchmark's preload keys them.
#
#   bench/upsert-cost.sh APP_DIR [batches, default 100] [many sources, default 100000] [rounds, default 2]
#
# APP_DIR is a packaged posflow (target/quarkus-app): one start of it, with Kafka unreachable, migrates the database
# <BENCH_DB_PREFIX>_upsert (bench_upsert, created and dropped here) on the MariaDB at 127.0.0.1:3306, so the tables
# are posflow's own. Per run: wall time, the CPU mariadbd used (/proc/<pid>/stat, background threads included) and
# both per row. Runs, alternated in each round: the INSERT alone with 100 and with S sources; INSERT and upsert with
# 100 and with S sources; the same with S sources without the index on (changed_at, changed_by); and the read that the
# latest snapshot makes of each batch's sources after its commit (LatestReader's snapshot query, 5,000 sources a query);
# and two forms of the upsert taken out of the batch's transaction, its own stream beside the INSERTs': one upsert
# transaction per batch, and one per 10 batches (a row per source of the 50,000 records).
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"  # launch_offline, await_answer
app=$1 batches=${2:-100} many=${3:-100000} rounds=${4:-2}
db="${BENCH_DB_PREFIX:-bench}_upsert" port=${UPSERT_COST_PORT:-28480}
work=$(mktemp -d /tmp/upsert-cost.XXXXXX)
trap 'mysql -h127.0.0.1 -uroot -e "drop database if exists $db"; rm -rf "$work"' EXIT
mysql -h127.0.0.1 -uroot -e "drop database if exists $db; create database $db"
mariadbd=$(pidof mariadbd || pidof mysqld)
tck=$(getconf CLK_TCK)

# posflow's schema, by posflow: one start, until it answers (migration done), then stopped
launch_offline java "$app" "$work/app.log" "$db" "$port"
pid=$LAUNCHED_PID
await_answer "$pid" "$port" "$work/app.log" || { cat "$work/app.log" >&2; exit 1; }
kill "$pid"
wait "$pid" || true

# posflow's own statements, read from its packaged classes (javap prints their compile-time constants) rather than
# copied here, so that a change to them is measured as it is: IngestWriter.UPSERT_LATEST (MariaDB's form, the one
# written in the class) and LatestReader.SNAPSHOT
constant() { # class field
    local value
    value=$(javap -cp "$(echo "$app"/app/*.jar)" -constants -p "$1" | sed -n "s/.* $2 = \"\(.*\)\";\$/\1/p")
    [ -n "$value" ] || { echo "no constant $1.$2 in $app/app" >&2; exit 1; }
    echo "$value"
}
UPSERT_SQL=$(constant dev.posflow.store.write.IngestWriter UPSERT_LATEST)
SNAPSHOT_SQL=$(constant dev.posflow.store.read.LatestReader SNAPSHOT)
export UPSERT_SQL SNAPSHOT_SQL

# the SQL text of each run, written before any clock starts
gen() { # sources mode(insert|upsert|reload|latest) [batches merged per upsert, for latest] > file
    python3 - "$1" "$2" "$batches" "${3:-1}" <<'PYEOF'
import os, sys, datetime
sources, mode, batches, merged = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
base = datetime.datetime(2021, 4, 10)
# one statement of many rows: the class's one-row placeholders become the rows' text
upsert = os.environ['UPSERT_SQL'].replace('(?, ?, ?, ?, ?, ?, ?, ?, ?)', '%s') + ';\n'
reload = os.environ['SNAPSHOT_SQL'] + ' where l.source in (%s);\n'
out = sys.stdout
i = 0
latest = {}
for b in range(batches):
    rows = []
    if mode != 'latest':
        latest = {}
    for k in range(5000):
        at = (base + datetime.timedelta(milliseconds=i)).strftime('%Y-%m-%d %H:%M:%S.%f')
        source = 'src-%06d' % (i % sources)
        rows.append("('%s','%s',%d,%d,'2026-12-06 19:00:00.000000','bench-json',0,%d,0)" % (source, at, i, i % 1080, i))
        count, first = (latest[source][2] + 1, latest[source][3]) if source in latest else (1, at)
        latest[source] = (at, i, count, first)
        i += 1
    if mode == 'reload':
        out.write(reload % ",".join("'%s'" % s for s in sorted(latest)))
        continue
    if mode == 'latest':
        # the upserts alone, one transaction per `merged` batches, one row per source of them, 5,000 rows a statement
        if (b + 1) % merged == 0 or b == batches - 1:
            items = sorted(latest.items())
            out.write("start transaction;\n")
            for c in range(0, len(items), 5000):
                out.write(upsert % ",".join("('%s','%s','bench-json',0,%d,%d,'%s',0,42)" % (s, v[0], v[1], v[2], v[3])
                                            for s, v in items[c:c + 5000]))
            out.write("commit;\n")
            latest = {}
        continue
    out.write("start transaction;\ninsert into positions (source, sampled_at, x, y, received_at, kafka_topic,"
              " kafka_partition, kafka_offset, kafka_incarnation) values " + ",".join(rows) + ";\n")
    if mode == 'upsert':
        out.write(upsert % ",".join("('%s','%s','bench-json',0,%d,%d,'%s',0,42)" % (s, v[0], v[1], v[2], v[3])
                                    for s, v in sorted(latest.items())))
    out.write("commit;\n")
PYEOF
}
for s in 100 "$many"; do
    for mode in insert upsert; do gen "$s" "$mode" > "$work/$mode-$s.sql"; done
done
gen "$many" reload > "$work/reload-$many.sql"
for m in 1 10; do gen "$many" latest "$m" > "$work/latest-$many-$m.sql"; done

measure() { # label tables(fresh|keep) file [file beside it]: empties the tables first if fresh. With a second file,
    # both run at once, each a client of its own (the upsert apart: as if it left the batch's transaction for a
    # connection of its own), and the first stream's own wall is printed too (the INSERTs': what ingest would wait for)
    local t0 t1 c0 c1 rows first=""
    [ "$2" = keep ] || mysql -h127.0.0.1 -uroot "$db" -e "truncate positions; truncate latest_positions"
    read -r -a c0 < "/proc/$mariadbd/stat"
    t0=$(date +%s%N)
    if [ -n "${4:-}" ]; then
        mysql -h127.0.0.1 -uroot "$db" < "$4" > /dev/null &
        mysql -h127.0.0.1 -uroot "$db" < "$3" > /dev/null
        first=$(date +%s%N)
        wait $!
    else
        mysql -h127.0.0.1 -uroot "$db" < "$3" > /dev/null
    fi
    t1=$(date +%s%N)
    read -r -a c1 < "/proc/$mariadbd/stat"
    rows=$((batches * 5000))
    awk -v l="$1" -v w=$(((t1 - t0) / 1000)) -v i=$(((${first:-$t0} - t0) / 1000)) \
        -v c=$(((c1[13] + c1[14] - c0[13] - c0[14]) * 1000000 / tck)) -v n="$rows" \
        'BEGIN { printf "%-44s wall %6.0f ms  mariadbd CPU %6.0f ms  per row: wall %5.2f us%s, CPU %5.2f us\n", l, w / 1000,
                 c / 1000, w / n, (i > 0 ? sprintf(" (INSERTs %5.2f)", i / n) : ""), c / n }'
}

echo "MariaDB $(mysql -h127.0.0.1 -uroot -N -e 'select version()'), $batches batches of 5,000 rows, $(date -u +%FT%H:%MZ)"
for r in $(seq 1 "$rounds"); do
    echo "round $r"
    measure "INSERT, 100 sources" fresh "$work/insert-100.sql"
    measure "INSERT, $many sources" fresh "$work/insert-$many.sql"
    measure "INSERT + upsert, 100 sources" fresh "$work/upsert-100.sql"
    measure "INSERT + upsert, $many sources" fresh "$work/upsert-$many.sql"
    measure "reload reads, $many sources (5,000 a query)" keep "$work/reload-$many.sql"
    mysql -h127.0.0.1 -uroot "$db" -e "alter table latest_positions drop index idx_latest_positions_changed"
    measure "INSERT + upsert, $many, no changed_at index" fresh "$work/upsert-$many.sql"
    mysql -h127.0.0.1 -uroot "$db" -e "create index idx_latest_positions_changed on latest_positions (changed_at, changed_by)"
    measure "INSERT, upsert apart, $many sources" fresh "$work/insert-$many.sql" "$work/latest-$many-1.sql"
    measure "INSERT, upsert apart per 10, $many sources" fresh "$work/insert-$many.sql" \
        "$work/latest-$many-10.sql"
done
