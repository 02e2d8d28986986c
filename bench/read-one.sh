#!/usr/bin/env bash
# What GET /positions/{id} costs, two builds alternated (issue 19): each build's packaged app started in turn on the
# same database of 100,000 positions, then wrk on the static file /index.html (the HTTP stack's ceiling on this
# machine) and on /positions/{id} of the middle row, at 1 and at 16 connections, after a few seconds of warm-up each.
# The JVM flags of docs/deployment.md; authentication off and Kafka unreachable on purpose (offline_env): only the
# read is measured. Alternating keeps the comparison fair on a shared machine; compare within a round.
# READ_ONE_SECONDS (10): each measured wrk run; READ_ONE_WARMUP (4): the warm-up before it.
#
#   bench/read-one.sh APP_DIR_A APP_DIR_B DATABASE [rounds, default 3]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"  # POSFLOW_RECOMMENDED_OPTS, launch_offline, await_answer
a=$1 b=$2 db=$3 rounds=${4:-3} port=${READ_ONE_PORT:-28480}
seconds=${READ_ONE_SECONDS:-10} warmup=${READ_ONE_WARMUP:-4}
mysql -h127.0.0.1 -uroot -e "drop database if exists $db; create database $db"

start() { # app log: starts posflow, waits for its first answer
    # shellcheck disable=SC2086 # the options are a list
    launch_offline java "$1" "$2" "$db" "$port" $POSFLOW_RECOMMENDED_OPTS
    pid=$LAUNCHED_PID
    await_answer "$pid" "$port" "$2" || exit 1
}
stop() {
    kill "$pid"
    wait "$pid" || true
}

# the first start migrates the database; 100,000 rows by SQL, which MariaDB and MySQL 8 both accept
start "$a" /tmp/read-one-migrate.log
stop
digits="(select 0 d union all select 1 union all select 2 union all select 3 union all select 4 union all select 5
  union all select 6 union all select 7 union all select 8 union all select 9)"
mysql -h127.0.0.1 -uroot "$db" -e "insert into positions (source, sampled_at, x, y, received_at, kafka_topic,
  kafka_partition, kafka_offset)
  select concat('src-', lpad(n mod 100, 6, '0')), timestampadd(microsecond, n * 1000, '2021-04-10'), n, n mod 1080,
    utc_timestamp(6), 'bench-json', 0, n
  from (select a.d + 10 * b.d + 100 * c.d + 1000 * e.d + 10000 * f.d n
    from $digits a, $digits b, $digits c, $digits e, $digits f) s order by n"
id=$(mysql -h127.0.0.1 -uroot -N "$db" -e "select id from positions where id >= (select max(id) div 2 from positions)
  order by id limit 1")

measure() { # connections path: prints "req/s p50"
    local threads=$(( $1 > 1 ? 2 : 1 )) url="http://127.0.0.1:$port$2"
    wrk -t"$threads" -c"$1" -d"${warmup}s" "$url" > /dev/null
    wrk -t"$threads" -c"$1" -d"${seconds}s" --latency "$url" \
        | awk '/^Requests\/sec/ { r = $2 } /^ +50%/ { p = $2 } /Non-2xx/ { bad = $NF } END { printf "%.0f %s%s\n", r, p, bad ? " NON-2XX " bad : "" }'
}

echo "database $db, 100,000 positions, GET /positions/$id; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "round build | static c1: req/s p50 | by id c1 | static c16 | by id c16 | by id / static at c1, c16"
for r in $(seq 1 "$rounds"); do
    for app in "$a" "$b"; do
        start "$app" "/tmp/read-one-$r.log"
        curl -sf -o /dev/null "http://127.0.0.1:$port/positions/$id" || { echo "GET /positions/$id failed" >&2; exit 1; }
        read -r s1 s1p < <(measure 1 /index.html)
        read -r i1 i1p < <(measure 1 "/positions/$id")
        read -r s16 s16p < <(measure 16 /index.html)
        read -r i16 i16p < <(measure 16 "/positions/$id")
        stop
        echo "$r $app | $s1 $s1p | $i1 $i1p | $s16 $s16p | $i16 $i16p |" \
            "$(awk -v a="$i1" -v b="$s1" -v c="$i16" -v d="$s16" 'BEGIN { printf "%.2f, %.2f", a / b, c / d }')"
    done
done
mysql -h127.0.0.1 -uroot -e "drop database $db"
