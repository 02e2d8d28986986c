# Helpers shared by the bench scripts (sourced by run.sh and many-sources.sh). The caller sets LOGS, RESULTS and
# PIDS=() first; processes whose pid is added to PIDS are stopped on exit.
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
result() { printf '%s=%s\n' "$1" "$2" >> "$RESULTS"; }
get() { grep -m1 "^$1=" "$RESULTS" | cut -d= -f2- || true; }
now_ms() { date +%s%3N; }
sql() { mysql -h127.0.0.1 -P3306 -uroot --batch --skip-column-names "$@"; }

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
                if read -r -a f < "/proc/$p/stat" 2>/dev/null; then line+=" $((f[13] + f[14]))"; else line+=" 0"; fi
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
# CPU per thread group of one process (thread names from /proc, numbers folded: "GC Thread#0" -> "GC Thread#N")
threads_snapshot() { # pid > file of "name|ticks"
    local t st name
    for t in /proc/"$1"/task/*; do
        { st=$(< "$t/stat") && name=$(< "$t/comm"); } 2>/dev/null || continue
        st=${st##*) }
        read -r -a f <<< "$st"
        printf '%s|%s\n' "$(sed 's/[0-9][0-9]*/N/g' <<< "$name")" "$((f[11] + f[12]))"
    done | awk -F'|' '{ a[$1] += $2 } END { for (k in a) print k "|" a[k] }' | sort
}
threads_report() { # before after seconds: "name cores" lines, busiest first
    join -t'|' "$1" "$2" | awk -F'|' -v s="$3" -v hz="$CLK_TCK" '{ d = ($3 - $2) / hz / s; if (d >= 0.01) printf "%5.2f  %s\n", d, $1 }' | sort -rn
}
# Before each measured phase: wait (at most BENCH_QUIET_WAIT seconds, default 600) until the whole machine has been
# nearly idle (< 0.25 of a core busy) for 3 s, so that another job on the machine does not share a phase.
busy_ticks() { local f; read -r -a f < /proc/stat; echo $((f[1] + f[2] + f[3] + f[6] + f[7] + f[8])); }
wait_quiet() { # phase name
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
