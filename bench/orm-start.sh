#!/usr/bin/env bash
# What turning Hibernate ORM on costs at start (issue 17): the same packaged app started alternately with ORM on (the
# default) and off (QUARKUS_HIBERNATE_ORM_ACTIVE=false), with the JVM flags of docs/deployment.md, on a database
# migrated by one uncounted warm-up start (DATABASE is created for the run and dropped at its end). Measured: JVM
# launch to the first HTTP answer on /positions/latest, and RSS at that moment.
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
# ORM_START_TRAIN=1 (with a JDK 25 `java` and an aot-jar APP_DIR, docs/deployment.md): before the rounds, one AOT
# cache per side, each trained by a start of its own with that side's settings (a few seconds of every kind of
# request, then a stop; APP_DIR/orm-start-on.aot and orm-start-off.aot); each side's starts then use its own cache.
# ORM_START_DATABASE (host:port, default the local 127.0.0.1:3306): a database that is away (a closed port, an
# unroutable address). Every start then has to fail: each line gives the time from launch to the JVM's exit, how
# many lines of the log are Hibernate's (HHH...) and whether the schema check's error is among them. Nothing is
# migrated and DATABASE is not created.
# No broker is needed (Kafka is unreachable on purpose: start-up does not wait for it). Alternating the two keeps the
# comparison fair on a shared machine; the absolute times are only as good as the machine's load (printed).
#
#   bench/orm-start.sh APP_DIR DATABASE [rounds, default 3] [java, default java]
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"  # POSFLOW_RECOMMENDED_OPTS, start_cpu, launch_offline, await_answer
app=$(cd "$1" && pwd) db=$2 rounds=${3:-3} java=${4:-java} port=${ORM_START_PORT:-28380}
away=${ORM_START_DATABASE:-}
# shellcheck disable=SC2206 # a list of options
opts=($POSFLOW_RECOMMENDED_OPTS ${ORM_START_JAVA_OPTS:-})
if [ -z "$away" ]; then
    mysql -h127.0.0.1 -uroot -e "drop database if exists $db; create database $db"
    trap 'mysql -h127.0.0.1 -uroot -e "drop database if exists $db"' EXIT
fi

off=${ORM_START_OFF:-QUARKUS_HIBERNATE_ORM_ACTIVE=false}
launch() { # on|off log [JVM options...]: launch_offline with the side's setting and JVM options
    local side=$1 log=$2 setting=X_UNUSED=1 more=()
    shift 2
    # shellcheck disable=SC2206 # a list of options
    [ "$side" = on ] || { setting=$off; more=(${ORM_START_OFF_JAVA_OPTS:-}); }
    LAUNCH_ENV=("$setting" QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT="${ORM_START_ACQUISITION_TIMEOUT:-5S}")
    [ -z "$away" ] || LAUNCH_ENV+=("QUARKUS_DATASOURCE_JDBC_URL=jdbc:mysql://$away/$db")
    launch_offline "$java" "$app" "$log" "$db" "$port" "${opts[@]}" ${more[@]+"${more[@]}"} "$@"
}
train() { # on|off: writes that side's AOT cache
    local cache="$app/orm-start-$1.aot" base="http://127.0.0.1:$port" p
    rm -f "$cache"
    launch "$1" "/tmp/orm-start-train-$1.log" -XX:AOTCacheOutput="$cache"
    await_answer "$LAUNCHED_PID" "$port" "/tmp/orm-start-train-$1.log"
    for p in /positions/latest /sources "/positions?limit=100" /positions/1 /index.html; do
        curl -s -o /dev/null "$base$p" || true
    done
    curl -s -o /dev/null "http://127.0.0.1:$((port + 1))/q/health/ready" || true
    for p in /positions/latest /sources; do
        wrk -t1 -c4 -d2s "$base$p" > /dev/null 2>&1 || true
    done
    kill "$LAUNCHED_PID"
    wait "$LAUNCHED_PID" || true  # the JVM writes the cache as it exits
    [ -s "$cache" ] || { echo "no AOT cache written, see /tmp/orm-start-train-$1.log" >&2; exit 1; }
    echo "$1: AOT cache of $(stat -c %s "$cache") bytes"
}
start_away() { # on|off tag: prints "exit_ms hibernate_lines schema_error(yes|no)"
    local log="/tmp/orm-start-$2.log" t0
    t0=$(date +%s%3N)
    launch "$1" "$log" ${cache_of[$1]:+"${cache_of[$1]}"}
    wait "$LAUNCHED_PID" || true
    echo "$(( $(date +%s%3N) - t0 )) $(grep -c 'HHH[0-9]' "$log" || true)" \
        "$(grep -q 'Could not bring the schema up to date' "$log" && echo yes || echo no)"
}
declare -A cache_of=()
start() { # on|off tag: prints "first_ms rss_mb cpu" (cpu as start_cpu gives it)
    local tag=$2 t0 pid ms rss cpu
    t0=$(date +%s%3N)
    launch "$1" "/tmp/orm-start-$tag.log" ${cache_of[$1]:+"${cache_of[$1]}"}
    pid=$LAUNCHED_PID
    await_answer "$pid" "$port" "/tmp/orm-start-$tag.log" || return 1
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

[ -n "$away" ] || start on warmup > /dev/null
if [ "${ORM_START_TRAIN:-}" = 1 ]; then
    [ -z "$away" ] || { echo "ORM_START_TRAIN needs the database up" >&2; exit 1; }
    for mode in on off; do
        train "$mode"
        cache_of[$mode]=-XX:AOTCache="$app/orm-start-$mode.aot"
    done
fi
for r in $(seq 1 "$rounds"); do
    for mode in on off; do
        if [ "$mode" = on ]; then what="defaults"; else what="$off${ORM_START_OFF_JAVA_OPTS:+ $ORM_START_OFF_JAVA_OPTS}"; fi
        if [ -n "$away" ]; then
            read -r ms hhh schema < <(start_away "$mode" "$mode-$r")
            echo "round $r $what database=$away exit_ms=$ms hibernate_lines=$hhh schema_error=$schema" \
                "load=$(cut -d' ' -f1 /proc/loadavg)"
        else
            read -r ms rss cpu < <(start "$mode" "$mode-$r")
            echo "round $r $what first_request_ms=$ms rss_mb=$rss cpu_ms=$cpu load=$(cut -d' ' -f1 /proc/loadavg)"
        fi
    done
done
