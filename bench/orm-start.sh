#!/usr/bin/env bash
# What turning Hibernate ORM on costs at start (issue 17): the same packaged app started alternately with ORM on (the
# default) and off (QUARKUS_HIBERNATE_ORM_ACTIVE=false), with the JVM flags of docs/deployment.md, on a database
# migrated by one uncounted warm-up start. Measured: JVM launch to the first HTTP answer on /positions/latest, and RSS
# at that moment.
# ORM_START_ACQUISITION_TIMEOUT (default Agroal's 5S): on a machine so loaded that the first connection takes longer.
# ORM_START_OFF (default QUARKUS_HIBERNATE_ORM_ACTIVE=false): the setting of the "off" starts, NAME=value, to measure
# another part of start the same way, e.g. ORM_START_OFF=POSFLOW_SCHEMA_MIGRATE=always (Liquibase's update at every
# start, against the default that starts it only when a change set is missing).
# ORM_START_JAVA_OPTS: more JVM options for every start (e.g. -XX:AOTCache=app.aot for the AOT cache of
# docs/deployment.md, trained beforehand on the same build and JDK).
# ORM_START_OFF_JAVA_OPTS: more JVM options for the "off" starts only; with ORM_START_OFF=X_NONE=1 the two sides differ
# by JVM options alone (e.g. ORM_START_OFF_JAVA_OPTS=-XX:TieredStopAtLevel=1, what the JIT's C2 costs a start).
# Each line also gives the CPU the JVM's threads had used by the first answer (from /proc, ms): the main thread (whose
# name is java), the C1 and C2 compiler threads, and all others. On a machine with few cores, the compilers compete
# with the main thread for them.
# ORM_START_LOAD_SECONDS: after the first answer, that many seconds of wrk on /positions/latest (4 connections), whose
# rate is printed: how fast a start warms up, e.g. with an AOT cache trained by more or fewer requests.
# No broker is needed (Kafka is unreachable on purpose: start-up does not wait for it). Alternating the two keeps the
# comparison fair on a shared machine; the absolute times are only as good as the machine's load (printed).
#
#   bench/orm-start.sh APP_DIR DATABASE [rounds, default 3] [java, default java]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"  # POSFLOW_RECOMMENDED_OPTS, start_cpu, offline_env
app=$1 db=$2 rounds=${3:-3} java=${4:-java} port=${ORM_START_PORT:-28380}
opts="$POSFLOW_RECOMMENDED_OPTS ${ORM_START_JAVA_OPTS:-}"
mysql -h127.0.0.1 -uroot -e "drop database if exists $db; create database $db"

off=${ORM_START_OFF:-QUARKUS_HIBERNATE_ORM_ACTIVE=false}
mapfile -t offline < <(offline_env "$db" "$port")
start() { # on|off tag: prints "first_ms rss_mb cpu" (cpu as start_cpu gives it)
    local setting=X_UNUSED=1 tag=$2 t0 pid ms rss cpu more=""
    [ "$1" = on ] || { setting=$off; more=${ORM_START_OFF_JAVA_OPTS:-}; }
    t0=$(date +%s%3N)
    # shellcheck disable=SC2086 # opts is a list of options
    env "${offline[@]}" "$setting" MALLOC_ARENA_MAX=2 \
        QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT="${ORM_START_ACQUISITION_TIMEOUT:-5S}" \
        "$java" $opts $more -jar "$app/quarkus-run.jar" > "/tmp/orm-start-$tag.log" 2>&1 &
    pid=$!
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/positions/latest"; do
        kill -0 "$pid" 2>/dev/null || { echo "exited, see /tmp/orm-start-$tag.log" >&2; return 1; }
        sleep 0.02
    done
    ms=$(( $(date +%s%3N) - t0 ))
    rss=$(( $(ps -o rss= -p "$pid") / 1024 ))
    cpu=$(start_cpu "$pid")
    if [ -n "${ORM_START_LOAD_SECONDS:-}" ]; then
        cpu="$cpu load_rps=$(wrk -t1 -c4 -d"${ORM_START_LOAD_SECONDS}s" "http://127.0.0.1:$port/positions/latest" \
            | awk '/^Requests\/sec/ { printf "%.0f", $2 }')"
    fi
    kill "$pid"
    wait "$pid" || true
    echo "$ms $rss $cpu"
}

start on warmup > /dev/null
for r in $(seq 1 "$rounds"); do
    for mode in on off; do
        read -r ms rss cpu < <(start "$mode" "$mode-$r")
        if [ "$mode" = on ]; then what="defaults"; else what="$off${ORM_START_OFF_JAVA_OPTS:+ $ORM_START_OFF_JAVA_OPTS}"; fi
        echo "round $r $what first_request_ms=$ms rss_mb=$rss cpu_ms=$cpu load=$(cut -d' ' -f1 /proc/loadavg)"
    done
done
