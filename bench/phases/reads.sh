# Phase "reads": the serving side's read speed (issue 11, goal "History"). Sourced by bench/run.sh; needs the headline
# posflow running over the N ingested rows (POSFLOW_PID, BASE, BENCH_TOKEN, database POSFLOW_DB, SOURCE).
#
# wrk -t1 at 1 and 16 connections, each after a warm-up, against the static file (the HTTP stack's ceiling),
# /positions/latest, /positions/{id} of an existing row, /sources and history pages of 100 and 1,000 rows; then
# HistoryJdbcClient, the plain JDBC client that runs posflow's SQL for the same pages and writes the same JSON.
#
#   BENCH_READS_SECONDS   duration of each wrk run (default 8), after a 3 s warm-up
#   BENCH_READS_PAGES     pages the JDBC client times at limit 100 (default 2000; a tenth of it at limit 1000)

READS_SECONDS=${BENCH_READS_SECONDS:-8}
READS_PAGES=${BENCH_READS_PAGES:-2000}
READS_DB=${READS_DB:-$POSFLOW_DB}  # the headline posflow's database

# wrk's latency ("812.00us", "1.20ms", "2.00s") in ms
reads_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0;
    else if (v ~ /s$/) printf "%.3f", v * 1000; else print "" }'; }

reads_wrk() { # name connections path
    local name=$1 c=$2 url="$BASE$3" key="reads_$1_c$2" from_ms to_ms
    wait_quiet "wrk $name, $c connection(s)"
    wrk -t1 -c"$c" -d3s -H "Authorization: Bearer $BENCH_TOKEN" "$url" > /dev/null 2>&1
    log "wrk -t1 -c$c -d${READS_SECONDS}s --latency $url (after a 3 s warm-up)"
    cpu_sampler_start "$LOGS/$key-cpu.txt" "$POSFLOW_PID" "$MARIADB_PID"
    from_ms=$(now_ms)
    wrk -t1 -c"$c" -d"${READS_SECONDS}"s --latency -H "Authorization: Bearer $BENCH_TOKEN" "$url" > "$LOGS/$key.txt" 2>&1
    to_ms=$(now_ms)
    sleep 0.2
    cpu_sampler_stop
    result "${key}_cpu" "$(cpu_cores "$LOGS/$key-cpu.txt" "$((from_ms + 200))" "$((to_ms - 200))")"
    result "${key}_rps" "$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$LOGS/$key.txt")"
    result "${key}_p50" "$(awk '/^ +50%/ { print $2 }' "$LOGS/$key.txt")"
    result "${key}_p99" "$(awk '/^ +99%/ { print $2 }' "$LOGS/$key.txt")"
    result "${key}_errors" "$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$LOGS/$key.txt")"
}

phase_reads() {
    local id path name c limit
    # the headline's N rows, ingested first when the phase runs alone (BENCH_PHASES=reads)
    [ "$READS_DB" != "$POSFLOW_DB" ] || ensure_posflow
    id=$(sql "$READS_DB" -e "select id from positions where id >= (select max(id) div 2 from positions) order by id limit 1")
    [ -n "$id" ] || die "reads: no position in $READS_DB"
    curl -sf "${AUTH[@]}" -o /dev/null "$BASE/positions/$id" || die "reads: GET /positions/$id failed"
    result reads_id "$id"
    for c in 1 16; do
        for name in static latest by_id sources history100 history1000; do
            case $name in
                static) path=/index.html ;;
                latest) path=/positions/latest ;;
                by_id) path=/positions/$id ;;
                sources) path=/sources ;;
                history100) path="/positions?source=$SOURCE&limit=100" ;;
                history1000) path="/positions?source=$SOURCE&limit=1000" ;;
            esac
            reads_wrk "$name" "$c" "$path"
        done
    done
    wait_quiet "the JDBC client"
    for limit in 100 1000; do
        local pages=$READS_PAGES line
        [ "$limit" = 100 ] || pages=$((READS_PAGES / 10))
        log "HistoryJdbcClient, source $SOURCE, limit $limit, $pages pages (after as many unmeasured)"
        line=$(tool HistoryJdbcClient "$(jdbc_url "$READS_DB")" "$SOURCE" "$limit" "$pages" \
            "$LOGS/reads-jdbc-$limit.json") || die "reads: HistoryJdbcClient failed"
        echo "$line" > "$LOGS/reads-jdbc-$limit.txt"
        result "reads_jdbc${limit}_p50_us" "$(sed -n 's/.* p50_us=\([0-9.]*\).*/\1/p' <<< "$line")"
        result "reads_jdbc${limit}_us_per_page" "$(sed -n 's/.* us_per_page=\([0-9.]*\).*/\1/p' <<< "$line")"
        result "reads_jdbc${limit}_cpu_us_per_page" "$(sed -n 's/.* cpu_us_per_page=\([0-9.]*\).*/\1/p' <<< "$line")"
        result "reads_jdbc${limit}_rows" "$(sed -n 's/.* rows=\([0-9]*\).*/\1/p' <<< "$line")"
        # the client's JSON must be posflow's, byte for byte, or the comparison is of different work
        curl -sf "${AUTH[@]}" "$BASE/positions?source=$SOURCE&limit=$limit" > "$LOGS/reads-posflow-$limit.json" || true
        if cmp -s "$LOGS/reads-jdbc-$limit.json" "$LOGS/reads-posflow-$limit.json"; then
            result "reads_jdbc${limit}_same_json" yes
        else
            result "reads_jdbc${limit}_same_json" NO
        fi
    done
}

report_reads() {
    local static1 static16 v ok p100 p1000 j100 j1000 rows_extra posflow_row jdbc_row ratio cpu_row jcpu_row
    reads_verdict() { [ "$1" = 1 ] && echo "met" || echo "MISSED"; }
    static1=$(get reads_static_c1_rps); static16=$(get reads_static_c16_rps)
    for c in 1 16; do
        row "reads, $c conn.: GET /index.html (static): req/s, p50, p99" \
            "$(get reads_static_c${c}_rps), $(get reads_static_c${c}_p50), $(get reads_static_c${c}_p99)" ""
        row "  GET /positions/latest" \
            "$(get reads_latest_c${c}_rps), $(get reads_latest_c${c}_p50), $(get reads_latest_c${c}_p99)" ""
        v=$(get reads_by_id_c${c}_rps)
        row "  GET /positions/{id}" "$v, $(get reads_by_id_c${c}_p50), $(get reads_by_id_c${c}_p99)" \
            ">= static: $(reads_verdict "$(awk -v a="$v" -v s="$(get reads_static_c${c}_rps)" 'BEGIN { print (a + 0 > 0 && a >= s) }')")"
        v=$(get reads_sources_c${c}_rps)
        row "  GET /sources" "$v, $(get reads_sources_c${c}_p50), $(get reads_sources_c${c}_p99)" \
            ">= static: $(reads_verdict "$(awk -v a="$v" -v s="$(get reads_static_c${c}_rps)" 'BEGIN { print (a + 0 > 0 && a >= s) }')")"
        v=$(get reads_history100_c${c}_rps)
        if [ "$c" = 16 ]; then
            ok=$(awk -v a="$v" -v s="$static16" 'BEGIN { print (a >= 3000 && a >= 0.3 * s) }')
            row "  GET /positions?source=S&limit=100" "$v, $(get reads_history100_c16_p50), $(get reads_history100_c16_p99)" \
                ">= 3000 and >= 0.3 x static: $(reads_verdict "$ok")"
        else
            row "  GET /positions?source=S&limit=100" "$v, $(get reads_history100_c1_p50), $(get reads_history100_c1_p99)" ""
        fi
        v=$(get reads_history1000_c${c}_rps)
        if [ "$c" = 1 ]; then
            ok=$(awk -v p="$(reads_ms "$(get reads_history1000_c1_p50)")" 'BEGIN { print (p != "" && p <= 5) }')
            row "  GET /positions?source=S&limit=1000" "$v, $(get reads_history1000_c1_p50), $(get reads_history1000_c1_p99)" \
                "p50 <= 5 ms: $(reads_verdict "$ok")"
        else
            row "  GET /positions?source=S&limit=1000" "$v, $(get reads_history1000_c16_p50), $(get reads_history1000_c16_p99)" ""
        fi
        for name in static latest by_id sources history100 history1000; do
            v=$(get reads_${name}_c${c}_errors)
            [ -z "$v" ] || row "  wrk errors, $name, $c conn." "$v" ""
        done
    done
    j100=$(get reads_jdbc100_p50_us); j1000=$(get reads_jdbc1000_p50_us)
    row "plain JDBC client, limit 100 / 1000: p50 per page (same JSON)" \
        "$j100 us / $j1000 us ($(get reads_jdbc100_same_json)/$(get reads_jdbc1000_same_json))" ""
    # Per returned row: the p50 of a 1,000-row page less that of a 100-row page, over the 900 rows between, at one
    # connection. The difference takes out what every request costs whatever its rows (HTTP, authentication, the
    # round trip to MySQL), which the JDBC client does not pay, and leaves what each row costs; both sides include
    # MySQL's own time for the rows, as both run the same SQL.
    p100=$(reads_ms "$(get reads_history100_c1_p50)"); p1000=$(reads_ms "$(get reads_history1000_c1_p50)")
    rows_extra=$(awk -v a="$(get reads_jdbc100_rows)" -v b="$(get reads_jdbc1000_rows)" 'BEGIN { print b - a }')
    posflow_row=$(awk -v a="$p100" -v b="$p1000" -v n="$rows_extra" 'BEGIN { if (n > 0 && a != "" && b != "") printf "%.2f", (b - a) * 1000 / n }')
    jdbc_row=$(awk -v a="$j100" -v b="$j1000" -v n="$rows_extra" 'BEGIN { if (n > 0 && a != "" && b != "") printf "%.2f", (b - a) / n }')
    ratio=$(awk -v p="$posflow_row" -v j="$jdbc_row" 'BEGIN { if (j > 0) printf "%.2f", p / j }')
    row "per-row cost vs JDBC client (p50s at 1 conn., 1000 - 100 rows)" \
        "$posflow_row us vs $jdbc_row us: ${ratio:-?} x" "<= 2 x: $(reads_verdict "$(awk -v r="$ratio" 'BEGIN { print (r != "" && r <= 2) }')")"
    # the same from CPU time: posflow's process under 16 connections (cores / req/s), the client's own thread
    cpu_row=$(awk -v c1="$(get reads_history100_c16_cpu)" -v r1="$(get reads_history100_c16_rps)" \
        -v c2="$(get reads_history1000_c16_cpu)" -v r2="$(get reads_history1000_c16_rps)" -v n="$rows_extra" \
        'BEGIN { split(c1, a, " "); split(c2, b, " "); if (r1 > 0 && r2 > 0 && n > 0) printf "%.2f", (b[1] * 1e6 / r2 - a[1] * 1e6 / r1) / n }')
    jcpu_row=$(awk -v a="$(get reads_jdbc100_cpu_us_per_page)" -v b="$(get reads_jdbc1000_cpu_us_per_page)" -v n="$rows_extra" \
        'BEGIN { if (n > 0) printf "%.2f", (b - a) / n }')
    row "  same from CPU time (posflow process at 16 conn. / client thread)" "$cpu_row us vs $jcpu_row us" ""
}
