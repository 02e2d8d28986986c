# Phase startmem (issue 11, goals Start and Footprint). Sourced by run.sh; needs the headline posflow still running
# after ingest and REST load (POSFLOW_PID), started with the recommended flags (POSFLOW_RECOMMENDED_OPTS in lib.sh;
# docs/deployment.md, "Running in production: JVM setup") and, with BENCH_NMT=1, -XX:NativeMemoryTracking=summary.
#   1. RSS of the headline posflow (and its Native Memory Tracking summary with BENCH_NMT=1), then it is stopped;
#   2. 3 restarts on Java 17 (the default fast-jar build) on the migrated N-row database, median;
#   3. the fast setup: Temurin 25 (BENCH_JDK25, else the first /usr/lib/jvm/*25*), the aot-jar build of the same
#      commit, one training run that writes the AOT cache (JEP 483/514/515) at exit, then 3 restarts with it, median;
#   4. Java 17 on the same aot-jar build with a dynamic AppCDS archive (-XX:ArchiveClassesAtExit in one training run,
#      then -XX:SharedArchiveFile): 3 restarts, median.
# The training runs send each kind of request for 2 s at 4 connections (BENCH_AOT_TRAINING=load, the default), or once
# (BENCH_AOT_TRAINING=once): the AOT cache keeps the profiles of what ran hot in training (JEP 515), which a restart
# then compiles early.
# Start is measured as everywhere in the bench: JVM launch to the first HTTP answer on /positions/latest, and to
# /q/health/ready 200 on the management port. Each restart also gives the CPU its threads had used once ready (main,
# C1, C2, others; start_cpu): on few cores the JIT's compilers compete with the main thread during a start.


startmem_restarts() { # tag java-bin app-dir [jvm options...]: 3 restarts, results <tag>_first_ms, _ready_ms, _cpu, _runs
    local tag=$1 jbin=$2 app=$3 runs=() first ready cpu r t0
    shift 3
    for r in 1 2 3; do
        wait_quiet "startmem $tag restart $r"
        t0=$(now_ms)
        PATH="$(dirname "$jbin"):$PATH" APP="$app" start_posflow "$HEADLINE_BATCH" "$LAST_GROUP" "$LOGS/startmem-$tag-$r.log" "$@"
        read -r first ready < <(wait_first_request "$t0")
        [ -n "$first" ] && [ -n "$ready" ] || die "startmem: $tag restart $r served no request, see $LOGS/startmem-$tag-$r.log"
        cpu=$(start_cpu "$POSFLOW_PID")
        log "  startmem $tag restart $r: first request after $first ms, ready after $ready ms; CPU (ms) $cpu"
        runs+=("$first $ready $cpu")
        stop "$POSFLOW_PID"
    done
    read -r first ready cpu <<< "$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)"
    result "startmem_${tag}_first_ms" "$first"
    result "startmem_${tag}_ready_ms" "$ready"
    result "startmem_${tag}_cpu" "$cpu"
    result "startmem_${tag}_runs" "$(printf '%s\n' "${runs[@]}" | awk '{ printf "%s%s", (NR > 1 ? ", " : ""), $1 }') ms"
}

phase_startmem() {
    local rss nmt="$LOGS/startmem-nmt.txt"
    # the headline's N rows, ingested first when the phase runs alone (BENCH_PHASES=startmem)
    ensure_posflow
    # 1. footprint of the headline posflow, as it is after ingest and REST load
    rss=$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))
    result startmem_rss_mb "$rss"
    # the goal is for an instance that has served REST load too (phase rest or reads before this one)
    if [ -n "$(get latest_rps)" ] || grep -q '^reads_' "$RESULTS"; then result startmem_rss_after "ingest + REST load"
    else result startmem_rss_after "ingest only"; fi
    if jcmd "$POSFLOW_PID" VM.native_memory summary > "$nmt" 2>&1 && grep -q '^Total' "$nmt"; then
        # "-  Java Heap (reserved=..., committed=262144KB)" -> "nmt_Java_Heap=256"
        awk '/^Total:/ { sub(/.*committed=/, ""); sub(/KB.*/, ""); printf "startmem_nmt_Total=%d\n", $0 / 1024 }
             /^-/ { line = $0; sub(/^- */, "", line); name = line; sub(/ *\(reserved.*/, "", name); gsub(/ /, "_", name)
                    c = line; sub(/.*committed=/, "", c); sub(/KB.*/, "", c); printf "startmem_nmt_%s=%d\n", name, c / 1024 }' \
            "$nmt" >> "$RESULTS"
    elif [ "${BENCH_NMT:-0}" = 1 ]; then
        log "startmem: no NMT summary, see $nmt"
    fi
    stop "$POSFLOW_PID"

    # 2. Java 17, the default build
    log "startmem: 3 restarts on Java 17 with the recommended flags, migrated $N-row database"
    startmem_restarts java17 "$(command -v java)" "$APP"

    # 3. the fast setup
    local jdk25=${BENCH_JDK25:-$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -1)}
    if [ -z "$jdk25" ] || [ ! -x "$jdk25/bin/java" ]; then
        log "startmem: no JDK 25 (set BENCH_JDK25), the fast setup is not measured"
        return 0
    fi
    result startmem_jdk25 "$("$jdk25/bin/java" -version 2>&1 | head -1)"
    local src="$BENCH_DIR/app-aot" aot_app t0
    aot_app="$src/target/quarkus-app"
    if [ "$(cat "$BENCH_DIR/app-aot.commit" 2>/dev/null)" != "$(git -C "$REPO" rev-parse HEAD)" ] || [ ! -f "$aot_app/quarkus-run.jar" ]; then
        log "startmem: building the aot-jar packaging with $jdk25"
        rm -rf "$src" "$BENCH_DIR/app-aot.commit"
        git clone -q "$REPO" "$src"
        (cd "$src" && JAVA_HOME="$jdk25" ./mvnw -o -B -q package -DskipTests -Dquarkus.package.jar.type=aot-jar > "$LOGS/startmem-aot-build.log" 2>&1) \
            || die "startmem: aot-jar build failed, see $LOGS/startmem-aot-build.log"
        git -C "$REPO" rev-parse HEAD > "$BENCH_DIR/app-aot.commit"
    fi
    # the training run: a real start on the migrated database and some of every kind of request; the JVM writes the
    # cache when it exits (JEP 514's one-step AOTCacheOutput), which takes a while after SIGTERM
    t0=$(now_ms)
    startmem_train aot "$jdk25/bin/java" "$aot_app" "$aot_app/app.aot" -XX:AOTCacheOutput="$aot_app/app.aot"
    result startmem_aot_training_s "$(awk -v a="$(now_ms)" -v b="$t0" 'BEGIN { printf "%.0f", (a - b) / 1000 }')"
    result startmem_aot_cache_mb "$(( $(stat -c %s "$aot_app/app.aot") / 1024 / 1024 ))"
    log "startmem: 3 restarts on Java 25 with the AOT cache"
    startmem_restarts aot25 "$jdk25/bin/java" "$aot_app" -XX:AOTCache="$aot_app/app.aot"

    # 4. Java 17 with a dynamic AppCDS archive of the same aot-jar build: CDS archives classes of the JDK's own class
    # path, which aot-jar puts every class on, and not those the fast-jar's class loader defines
    local java17 cds="$aot_app/app17.jsa"
    java17=$(command -v java)
    startmem_train cds17 "$java17" "$aot_app" "$cds" -XX:ArchiveClassesAtExit="$cds"
    result startmem_cds17_archive_mb "$(( $(stat -c %s "$cds") / 1024 / 1024 ))"
    log "startmem: 3 restarts on Java 17 with the AppCDS archive"
    startmem_restarts cds17 "$java17" "$aot_app" -XX:SharedArchiveFile="$cds"
}

startmem_train() { # tag java-bin app-dir file option: one training run that writes file (an AOT cache, a CDS archive)
    local tag=$1 jbin=$2 app=$3 file=$4 option=$5 t0 first ready
    rm -f "$file"
    log "startmem: $tag training run"
    wait_quiet "startmem $tag training"
    t0=$(now_ms)
    PATH="$(dirname "$jbin"):$PATH" APP="$app" start_posflow "$HEADLINE_BATCH" "$LAST_GROUP" \
        "$LOGS/startmem-$tag-training.log" "$option"
    read -r first ready < <(wait_first_request "$t0")
    [ -n "$ready" ] || die "startmem: the $tag training run never got ready, see $LOGS/startmem-$tag-training.log"
    startmem_training_requests
    stop "$POSFLOW_PID"
    [ -s "$file" ] || die "startmem: the $tag training run wrote no $(basename "$file"), see $LOGS/startmem-$tag-training.log"
}

startmem_training_requests() { # some of every kind of request, so that a training run loads what serving them needs
    local p
    for p in "/positions/latest" "/positions?source=$SOURCE&limit=100" "/positions?source=$SOURCE&limit=1000" \
        "/sources" "/positions/1" "/index.html"; do
        if [ "${BENCH_AOT_TRAINING:-load}" = once ]; then
            curl -s -o /dev/null "${AUTH[@]}" "$BASE$p" || true
        else
            wrk -t1 -c4 -d2s "${AUTH[@]}" "$BASE$p" > /dev/null 2>&1 || true
        fi
    done
    curl -s -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" || true
}

report_startmem() {
    local f
    startmem_verdict() { awk -v v="$1" -v max="$2" 'BEGIN { print (v != "" && v + 0 <= max ? "met" : "MISSED") }'; }
    f=$(get startmem_java17_first_ms)
    row "restart on Java 17, migrated N-row db: first request (ready), median of 3" \
        "$f ms ($(get startmem_java17_ready_ms) ms)" "<= 5000 ms: $(startmem_verdict "$f" 5000)"
    row "  the 3 restarts, first request" "$(get startmem_java17_runs)" ""
    row "  CPU used once ready, the median restart (ms)" "$(get startmem_java17_cpu)" ""
    f=$(get startmem_aot25_first_ms)
    if [ -n "$f" ]; then
        row "restart on Java 25 + AOT cache: first request (ready), median of 3" \
            "$f ms ($(get startmem_aot25_ready_ms) ms)" "<= 3000 ms: $(startmem_verdict "$f" 3000)"
        row "  the 3 restarts, first request" "$(get startmem_aot25_runs)" ""
        row "  CPU used once ready, the median restart (ms)" "$(get startmem_aot25_cpu)" ""
        row "  AOT training run (start, requests, stop, cache written)" \
            "$(get startmem_aot_training_s) s, cache $(get startmem_aot_cache_mb) MB" ""
    else
        row "restart on Java 25 + AOT cache" "not measured (no JDK 25)" "<= 3000 ms: MISSED"
    fi
    f=$(get startmem_cds17_first_ms)
    if [ -n "$f" ]; then
        row "restart on Java 17 + AppCDS (aot-jar): first request (ready), median of 3" \
            "$f ms ($(get startmem_cds17_ready_ms) ms)" "<= 5000 ms: $(startmem_verdict "$f" 5000)"
        row "  the 3 restarts, first request; archive" "$(get startmem_cds17_runs); $(get startmem_cds17_archive_mb) MB" ""
        row "  CPU used once ready, the median restart (ms)" "$(get startmem_cds17_cpu)" ""
    fi
    f=$(get startmem_rss_mb)
    if [ "${BENCH_NMT:-0}" = 1 ]; then
        # NMT's own memory is in this RSS: the goal is judged on a run without it
        row "posflow RSS after ingest + REST load (-Xmx256m, recommended flags, NMT on)" "$f MB" "goal judged without NMT"
    elif [ "$(get startmem_rss_after)" = "ingest only" ]; then
        row "posflow RSS after ingest only, no REST load ran (-Xmx256m, recommended flags)" "$f MB" "goal judged after REST load"
    else
        row "posflow RSS after ingest + REST load (-Xmx256m, recommended flags)" "$f MB" "<= 320 MB: $(startmem_verdict "$f" 320)"
    fi
    if [ -n "$(get startmem_nmt_Total)" ]; then
        row "  NMT committed: total" "$(get startmem_nmt_Total) MB" ""
        local k
        for k in Java_Heap Class Metaspace Code GC Compiler Thread Symbol Other Arena_Chunk Shared_class_space Native_Memory_Tracking; do
            [ -z "$(get "startmem_nmt_$k")" ] || row "  NMT committed: ${k//_/ }" "$(get "startmem_nmt_$k") MB" ""
        done
    fi
}
