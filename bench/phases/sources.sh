# Phase "sources": ingest and footprint with many sources, against the same N records over SOURCES sources (issue 9's
# goals, measured again by issue 19 within one run of bench/run.sh; bench/many-sources.sh goes further: idle CPU,
# pages at 20,000 sources, the live heap per source). Sourced by bench/run.sh; needs the broker (BOOTSTRAP), JSON_TOPIC
# and the tokens. The headline posflow is stopped first (ensure_posflow brings it back for a later phase).
#
# For SOURCES (JSON_TOPIC) and then for BENCH_MANY_SOURCES (topic bench-sources-<S>, the same N samples keyed over S
# sources, preloaded here; Preload keeps a topic that already holds N records): a fresh posflow with the headline batch
# size, a fresh database <prefix>_sources and consumer group, ingests the N records. Rows/s by WatchRows as in phase
# ingest; CPU of posflow and the database while it ingests; RSS once ingest is done, and again after REST load (wrk_run
# on a 1,000-source page of /positions/latest and a 100-row history page, BENCH_SOURCES_WRK_SECONDS each), with the
# heap's committed sizes then (jcmd GC.heap_info; with BENCH_NMT=1 also the Native Memory Tracking summary, in LOGS);
# the garbage collector's young and full collections from launch to the last row stored, with their pauses (jstat).
#
# Goals (issue 19): the rate at many sources >= 0.8 x the rate at SOURCES; RSS after the load <= 1.1 x.
#
#   BENCH_MANY_SOURCES         the many (default 100000)
#   BENCH_SOURCES_WRK_SECONDS  duration of each wrk run (default 10), after a 5 s warm-up

MANY_SOURCES=${BENCH_MANY_SOURCES:-100000}

gc_so_far() { # pid: the young and full collections since the JVM's launch, with their pauses (jstat -gc)
    jstat_gc "$1" YGC YGCT FGC FGCT | awk 'NF == 4 { printf "young %d (%.1f s), full %d (%.1f s)", $1, $2, $3, $4 }'
}

sources_run() { # tag topic sources
    local tag=$1 topic=$2 s=$3 db watch t0 first_ms done_ms rows held jvm=()
    db=$(bench_db sources)
    sql -e "drop database if exists $db; create database $db"
    wait_quiet "posflow, $s sources"
    log "sources: posflow ingests $N records over $s sources from $topic"
    start_watch "$db" "select coalesce(max(kafka_offset) + 1, 0) from positions where kafka_topic = '$topic'
        and kafka_incarnation = 0 and kafka_partition = 0" "sources_$tag"
    t0=$(now_ms)
    BENCH_POSFLOW_ENV=(QUARKUS_DATASOURCE_JDBC_URL="$(jdbc_url "$db")" POSFLOW_INGEST_TOPICS="$topic")
    [ "${BENCH_NMT:-0}" != 1 ] || jvm=(-XX:NativeMemoryTracking=summary)
    start_posflow "$HEADLINE_BATCH" "bench-sources-$tag-$(date +%s)" "$LOGS/sources_$tag.log" ${jvm[@]+"${jvm[@]}"}
    BENCH_POSFLOW_ENV=()
    cpu_sampler_start "$LOGS/sources_$tag-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID" "$KAFKA_PID"
    wait "$watch" || die "sources: posflow did not store $N rows in ${WATCH_TIMEOUT}s, see $LOGS/sources_$tag.log"
    sleep 0.2
    cpu_sampler_stop
    # from launch (a start makes a few short ones) to the last row stored
    result "sources_${tag}_gc" "$(gc_so_far "$POSFLOW_PID")"
    first_ms=$(watch_value first_ms "$LOGS/sources_$tag-watch.log")
    done_ms=$(watch_value done_ms "$LOGS/sources_$tag-watch.log")
    read -r rows held <<< "$(sql "$db" -e "select (select count(*) from positions), (select count(*) from latest_positions)")"
    [ "$rows" = "$N" ] || die "sources: posflow stored $rows rows, not $N"
    [ "$held" = "$s" ] || die "sources: latest_positions holds $held sources, not $s"
    result "sources_${tag}_count" "$s"
    result "sources_${tag}_rows_per_s" "$(watch_value rows_per_s "$LOGS/sources_$tag-watch.log")"
    result "sources_${tag}_wall_s" "$(awk -v a="$done_ms" -v b="$t0" 'BEGIN { printf "%.1f", (a - b) / 1000 }')"
    result "sources_${tag}_cpu" "$(cpu_cores "$LOGS/sources_$tag-cpu.txt" "$first_ms" "$done_ms")"
    sleep 2
    result "sources_${tag}_rss_ingested_mb" "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"
    WRK_SECONDS=${BENCH_SOURCES_WRK_SECONDS:-10} wrk_run "sources_${tag}_latest" "/positions/latest?limit=1000"
    WRK_SECONDS=${BENCH_SOURCES_WRK_SECONDS:-10} wrk_run "sources_${tag}_history" "/positions?source=$SOURCE&limit=100"
    result "sources_${tag}_rss_mb" "$(( $(ps -o rss= -p "$POSFLOW_PID") / 1024 ))"
    # what of the RSS is heap: the Serial GC grows the heap towards -Xmx as the live data grows, and gives little back
    jcmd "$POSFLOW_PID" GC.heap_info > "$LOGS/sources_$tag-heap.txt" 2>&1 || true
    result "sources_${tag}_heap" "$(awk '/def new generation/ { sub(/K,.*/, "", $5); young = $5 }
        /tenured generation/ { sub(/K,.*/, "", $4); old = $4 } /Metaspace/ { sub(/K,.*/, "", $5); meta = $5 }
        END { printf "young %d MB, old %d MB, metaspace %d MB", young / 1024, old / 1024, meta / 1024 }' "$LOGS/sources_$tag-heap.txt")"
    [ "${BENCH_NMT:-0}" != 1 ] || jcmd "$POSFLOW_PID" VM.native_memory summary > "$LOGS/sources_$tag-nmt.txt" 2>&1 || true
    stop "$POSFLOW_PID"
    sql -e "drop database $db"
}

phase_sources() {
    stop_posflow
    log "sources: preloading $N records over $MANY_SOURCES sources into bench-sources-$MANY_SOURCES"
    tool Preload "$BOOTSTRAP" "$N" "$MANY_SOURCES" "bench-sources-$MANY_SOURCES" | tee -a "$LOGS/preload.log" >&2
    sources_run few "$JSON_TOPIC" "$SOURCES"
    sources_run many "bench-sources-$MANY_SOURCES" "$MANY_SOURCES"
}

report_sources() {
    local few many r m tag
    few=$(get sources_few_count)
    many=$(get sources_many_count)
    for tag in few many; do
        row "ingest with $(get "sources_${tag}_count") sources (batch-size $HEADLINE_BATCH), rows/s" \
            "$(get "sources_${tag}_rows_per_s") ($(get "sources_${tag}_wall_s") s from start)"
        row "  RSS after ingest, after REST load$([ "${BENCH_NMT:-0}" != 1 ] || echo ' (NMT on: ~10 MB its own)')" \
            "$(get "sources_${tag}_rss_ingested_mb") MB, $(get "sources_${tag}_rss_mb") MB"
        row "  heap committed after REST load" "$(get "sources_${tag}_heap")"
        row "  collections from launch to the last row (pauses)" "$(get "sources_${tag}_gc")"
    done
    r=$(ratio "$(get sources_many_rows_per_s)" "$(get sources_few_rows_per_s)")
    row "ingest rate, $many sources / $few" "$r" ">= 0.8: $(verdict "$(holds 'r >= 0.8' r="$r")")"
    m=$(ratio "$(get sources_many_rss_mb)" "$(get sources_few_rss_mb)")
    row "RSS after REST load, $many sources / $few" "$m" "<= 1.1: $(verdict "$(holds 'm <= 1.1' m="$m")")"
}

details_sources() {
    printf '  %-34s %s\n' "ingest, $(get sources_few_count) sources:" "$(get sources_few_cpu)"
    printf '  %-34s %s\n' "ingest, $(get sources_many_count) sources:" "$(get sources_many_cpu)"
}
