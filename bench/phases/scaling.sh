# Phase "scaling" of bench/run.sh (docs/scaling.md): ingest with 1, 2 and 4 posflow instances in one consumer group on
# one topic of 8 partitions, each count on a fresh database, with the CPU account of every process and exact totals.
#
#   BENCH_PHASES="ingest scaling" bench/run.sh 1000000
#
# For each k: a fresh database and an empty topic of P partitions; k instances of the packaged app (java -Xmx256m -jar
# quarkus-run.jar) started one after the other (the first creates the schema), same consumer group, static membership
# (posflow.ingest.instance-id); once the group is stable with k members and every partition assigned, R seed records
# keyed by S sources are produced. Records arrive after the group is complete, so every instance ingests from the
# start, and none reads alone while the others still start. Rates and CPU are taken from the end of that production
# (the producer has exited; its records wait in Kafka) to the last row: (R - rows at that moment) / time. The whole
# span, from the first committed row, is printed beside it. Progress = sum of ingest_offsets.next_offset over the
# topic's partitions (8 primary-key rows; written in the same transaction as the rows, so it counts them exactly).
# Then, on the table: rows = R, no duplicate (topic, incarnation, partition, offset), each partition's rows are offsets
# 0 .. end - 1 of what Kafka holds (count = max + 1 = end offset), and each partition's mark = its end offset.
#
# Settings (environment): BENCH_SCALE_INSTANCES ("1 2 4"), BENCH_SCALE_PARTITIONS (8), BENCH_SCALE_SOURCES (SOURCES,
# else 100), BENCH_SCALE_RECORDS (N), BENCH_SCALE_CORES (projected primaries, "8 16 32"), BENCH_SCALE_DB (bench_db scale, else
# bench_scale), BENCH_SCALE_PORT_BASE (PHASE_PORT_BASE, else HTTP_PORT + 100: instance i listens on base + i, its
# management port on base + 10 + i).
# Uses from run.sh and lib.sh: N LOGS RESULTS APP BOOTSTRAP KAFKA_PID MARIADB_PID DB, log die result get sql now_ms stop
# wait_quiet cpu_sampler_start cpu_sampler_stop cpu_cores tool row; when defined: bench_db, PHASE_PORT_BASE,
# stop_posflow (the headline instance is stopped first), BENCH_TOKEN_ENTRY (the reader's token).

scale_instances() { echo "${BENCH_SCALE_INSTANCES:-1 2 4}"; }
scale_db() { echo "${BENCH_SCALE_DB:-$(declare -F bench_db > /dev/null && bench_db scale || echo bench_scale)}"; }
# ports of instance i: base + i (HTTP) and base + 10 + i (management), in the range run.sh keeps free for phases
scale_port_base() { echo "${BENCH_SCALE_PORT_BASE:-${PHASE_PORT_BASE:-$((HTTP_PORT + 100))}}"; }

# starts instance i of k; prints its pid
scale_start_instance() { # k i topic group db out
    local k=$1 i=$2 topic=$3 group=$4 db=$5 out=$6 base
    base=$(scale_port_base)
    env KAFKA_BOOTSTRAP_SERVERS="$BOOTSTRAP" \
        QUARKUS_DATASOURCE_JDBC_URL="$(jdbc_url "$db")" \
        QUARKUS_DATASOURCE_USERNAME=root QUARKUS_DATASOURCE_PASSWORD= \
        POSFLOW_INGEST_TOPICS="$topic" POSFLOW_SAMPLER_SOURCE=off \
        MP_MESSAGING_INCOMING_POSITIONS_IN_GROUP_ID="$group" \
        POSFLOW_INGEST_INSTANCE_ID="k$k-i$i" \
        QUARKUS_HTTP_PORT=$((base + i)) QUARKUS_MANAGEMENT_PORT=$((base + 10 + i)) \
        ${BENCH_TOKEN_ENTRY:+POSFLOW_AUTH_TOKENS="$BENCH_TOKEN_ENTRY"} \
        java -Xmx256m -jar "$APP/quarkus-run.jar" > "$out" 2>&1 &
    echo $!
}

scale_wait_ready() { # pid i log
    local pid=$1 i=$2 base
    base=$(scale_port_base)
    for _ in $(seq 1 3000); do
        kill -0 "$pid" 2>/dev/null || die "posflow instance $i exited, see $3"
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$((base + 10 + i))/q/health/ready" || true)" = 200 ] \
            && return 0
        sleep 0.1
    done
    die "posflow instance $i was not ready after 300 s, see $3"
}

scale_run() { # k
    local k=$1 tag="scale_k$1" topic="bench-scale-k$1" group="bench-scale-k$1-$(date +%s)"
    local db partitions=${BENCH_SCALE_PARTITIONS:-8}
    local records=${BENCH_SCALE_RECORDS:-$N} sources=${BENCH_SCALE_SOURCES:-${SOURCES:-100}}
    local progress="select coalesce(sum(next_offset), 0) from ingest_offsets where kafka_topic = '$topic'"
    local pids=() i pid watch
    db=$(scale_db)
    sql -e "drop database if exists $db; create database $db"
    tool ScaleKafka create "$BOOTSTRAP" "$topic" "$partitions" > "$LOGS/$tag-topic.log" 2>&1 \
        || die "could not create $topic, see $LOGS/$tag-topic.log"
    wait_quiet "scaling, $k instance(s)"
    log "scaling: $k instance(s), topic $topic ($partitions partitions), consumer group $group"
    for ((i = 1; i <= k; i++)); do   # one after the other: the first creates the schema, no Liquibase lock waits
        pid=$(scale_start_instance "$k" "$i" "$topic" "$group" "$db" "$LOGS/$tag-i$i.log")
        PIDS+=("$pid")
        pids+=("$pid")
        scale_wait_ready "$pid" "$i" "$LOGS/$tag-i$i.log"
    done
    tool ScaleKafka group "$BOOTSTRAP" "$group" "$topic" "$k" 180 > "$LOGS/$tag-group.log" 2>&1 \
        || die "the group never held every partition with $k members: $(tail -1 "$LOGS/$tag-group.log")"
    local assignment
    assignment=$(sed -n 's/^GROUP .*assignment=//p' "$LOGS/$tag-group.log")
    log "  group stable: $assignment"

    tool WatchRows "$(jdbc_url "$db")" "$progress" "$records" 100 $((600 + records / 500)) > "$LOGS/$tag-watch.log" 2>&1 &
    watch=$!
    PIDS+=("$watch")
    cpu_sampler_start "$LOGS/$tag-cpu.txt" "${pids[@]}" "$MARIADB_PID" "$KAFKA_PID"
    log "  producing $records records keyed by $sources sources"
    tool ScaleKafka produce "$BOOTSTRAP" "$topic" "$records" "$sources" > "$LOGS/$tag-produce.log" 2>&1 \
        || die "producing failed, see $LOGS/$tag-produce.log"
    local from_ms from_rows
    from_ms=$(now_ms)
    from_rows=$(sql "$db" -e "$progress")
    wait "$watch" || die "$k instance(s) did not store $records rows, see $LOGS/$tag-watch.log and $LOGS/$tag-i*.log"
    sleep 0.2
    cpu_sampler_stop
    local produced done_ms
    produced=$(grep '^PRODUCED' "$LOGS/$tag-produce.log")
    done_ms=$(watch_value done_ms "$LOGS/$tag-watch.log")
    log "  $(cat "$LOGS/$tag-watch.log"); $from_rows rows stored when production ended"
    [ "$from_rows" -lt "$records" ] || die "every row was stored before production ended: raise BENCH_SCALE_RECORDS"

    # exactness, on the table
    local count dup per_partition marks ends
    read -r count dup <<< "$(sql "$db" -e "select count(*), count(*) - count(distinct kafka_topic, kafka_incarnation,
        kafka_partition, kafka_offset) from positions")"
    per_partition=$(sql "$db" -e "select group_concat(concat(p, ':', if(lo = 0 and hi + 1 = c, c, concat('GAP', c)))
        order by p separator ',') from (select kafka_partition p, count(*) c, min(kafka_offset) lo,
        max(kafka_offset) hi from positions where kafka_topic = '$topic' group by kafka_partition) t")
    marks=$(sql "$db" -e "select group_concat(concat(kafka_partition, ':', next_offset) order by kafka_partition
        separator ',') from ingest_offsets where kafka_topic = '$topic' and next_offset > 0")
    ends=$(sed -n 's/.*ends=//p' <<< "$produced" | tr ',' '\n' | grep -v ':0$' | paste -sd,)
    local exact=yes
    [ "$count" = "$records" ] || { exact=no; log "  NOT EXACT: $count rows, not $records"; }
    [ "$dup" = 0 ] || { exact=no; log "  NOT EXACT: $dup duplicate Kafka coordinates"; }
    [ "$per_partition" = "$ends" ] || { exact=no; log "  NOT EXACT: rows per partition $per_partition, Kafka holds $ends"; }
    [ "$marks" = "$ends" ] || { exact=no; log "  NOT EXACT: marks $marks, Kafka holds $ends"; }

    # rows each instance stored: its partitions' end offsets
    local per_instance
    per_instance=$(awk -v a="$assignment" -v e="$ends" 'BEGIN {
        n = split(e, pe, ","); for (j = 1; j <= n; j++) { split(pe[j], kv, ":"); end[kv[1]] = kv[2] }
        m = split(a, members, ";")
        for (j = 1; j <= m; j++) { split(members[j], mp, ":"); s = 0; c = split(mp[2], ps, ",")
            for (q = 1; q <= c; q++) s += end[ps[q]]
            printf "%s%s %d", (j > 1 ? ", " : ""), mp[1], s }
    }')

    local cpu rate whole
    cpu=$(cpu_cores "$LOGS/$tag-cpu.txt" "$from_ms" "$done_ms")
    rate=$(awk -v r="$records" -v f="$from_rows" -v a="$from_ms" -v b="$done_ms" 'BEGIN { printf "%.0f", (r - f) * 1000 / (b - a) }')
    whole=$(watch_value rows_per_s "$LOGS/$tag-watch.log")
    log "  $rate rows/s after production ($whole from the first row); CPU ${cpu} (posflow x$k, MariaDB, Kafka)"
    result "${tag}_rows_per_s" "$rate"
    result "${tag}_whole_rows_per_s" "$whole"
    result "${tag}_window_rows" "$((records - from_rows))"
    result "${tag}_window_s" "$(awk -v a="$from_ms" -v b="$done_ms" 'BEGIN { printf "%.1f", (b - a) / 1000 }')"
    result "${tag}_records" "$records"
    result "${tag}_produce_s" "$(awk -v l="$produced" 'BEGIN { match(l, /start_ms=[0-9]+/); s = substr(l, RSTART + 9, RLENGTH - 9)
        match(l, /done_ms=[0-9]+/); d = substr(l, RSTART + 8, RLENGTH - 8); printf "%.1f", (d - s) / 1000 }')"
    result "${tag}_cpu" "$cpu"
    result "${tag}_assignment" "$assignment"
    result "${tag}_partition_records" "$ends"
    result "${tag}_instance_records" "$per_instance"
    result "${tag}_exact" "$exact"
    result "${tag}_rows" "$count"
    result "${tag}_duplicates" "$dup"
    # cpu: "c1 .. ck mariadb kafka | others o"
    awk -v k="$k" -v r="$rate" -v line="$cpu" -v tag="$tag" 'BEGIN {
        split(line, halves, "\\|"); n = split(halves[1], c, " "); split(halves[2], o, " ")
        p = 0; each = ""; for (j = 1; j <= k; j++) { p += c[j]; each = each (j > 1 ? " " : "") c[j] }
        m = c[k + 1]; kf = c[k + 2]
        printf "%s_posflow_cores=%.2f\n%s_posflow_cores_each=%s\n%s_mariadb_cores=%.2f\n%s_kafka_cores=%.2f\n", tag, p, tag, each, tag, m, tag, kf
        printf "%s_others_cores=%.2f\n%s_machine_cores=%.2f\n", tag, o[2], tag, p + m + kf + o[2]
        printf "%s_posflow_us_per_row=%.1f\n%s_mariadb_us_per_row=%.1f\n", tag, p / r * 1e6, tag, m / r * 1e6
        printf "%s_rows_per_posflow_core=%.0f\n%s_rows_per_mariadb_core=%.0f\n", tag, r / p, tag, r / m
    }' >> "$RESULTS"

    local stoppers=()
    for pid in "${pids[@]}"; do stop "$pid" & stoppers+=($!); done
    wait "${stoppers[@]}" 2>/dev/null || true
    tool ScaleKafka delete "$BOOTSTRAP" "$topic" >> "$LOGS/$tag-topic.log" 2>&1 || true
}

phase_scaling() {
    local k
    # the headline posflow of the ingest phase would take CPU beside the instances measured here (later phases call
    # ensure_posflow)
    ! declare -F stop_posflow > /dev/null || stop_posflow
    result scale_started "$(date -u +%Y-%m-%dT%H:%MZ)"
    result scale_partitions "${BENCH_SCALE_PARTITIONS:-8}"
    result scale_sources "${BENCH_SCALE_SOURCES:-${SOURCES:-100}}"
    for k in $(scale_instances); do scale_run "$k"; done
    sql -e "drop database if exists $(scale_db)"
    scale_arithmetic
}

scale_arithmetic() {
    # arithmetic on the figures above, stored beside them so that docs/scaling.md quotes results, not hand sums.
    # Per-row CPU pooled over the runs (CPU-seconds over rows of every window), and its range over the runs; a primary
    # of C cores giving every core to these inserts at that cost per row.
    local k k1 one
    k1=$(scale_instances | awk '{ print $1 }')
    one=$(get "scale_k${k1}_rows_per_s")
    for k in $(scale_instances); do
        result "scale_k${k}_speedup" "$(awk -v a="$(get "scale_k${k}_rows_per_s")" -v b="$one" 'BEGIN { printf "%.2f", a / b }')"
    done
    for k in $(scale_instances); do
        printf '%s %s %s %s %s %s\n' "$(get "scale_k${k}_window_rows")" "$(get "scale_k${k}_window_s")" \
            "$(get "scale_k${k}_mariadb_cores")" "$(get "scale_k${k}_posflow_cores")" \
            "$(get "scale_k${k}_mariadb_us_per_row")" "$(get "scale_k${k}_posflow_us_per_row")"
    done | awk -v cores="${BENCH_SCALE_CORES:-8 16 32}" -v one="$one" '
        { rows += $1; m += $3 * $2; p += $4 * $2
          if (NR == 1 || $5 < mlo) mlo = $5; if ($5 > mhi) mhi = $5
          if (NR == 1 || $6 < plo) plo = $6; if ($6 > phi) phi = $6 }
        END {
            mu = m / rows * 1e6; pu = p / rows * 1e6
            printf "scale_mariadb_us_per_row=%.1f\nscale_mariadb_us_per_row_range=%.1f-%.1f\n", mu, mlo, mhi
            printf "scale_posflow_us_per_row=%.1f\nscale_posflow_us_per_row_range=%.1f-%.1f\n", pu, plo, phi
            printf "scale_rows_per_mariadb_core=%.0f\nscale_rows_per_posflow_core=%.0f\n", 1e6 / mu, 1e6 / pu
            n = split(cores, cs, " ")
            for (j = 1; j <= n; j++) {
                c = cs[j]; ceiling = c * 1e6 / mu
                printf "scale_ceiling_c%d_rows_per_s=%.0f\n", c, ceiling
                printf "scale_ceiling_c%d_range=%.0f-%.0f\n", c, c * 1e6 / mhi, c * 1e6 / mlo
                printf "scale_ceiling_c%d_posflow_cores=%.1f\n", c, ceiling * pu / 1e6
                x = ceiling / one; i = int(x); if (i < x) i++
                printf "scale_ceiling_c%d_instances=%d\n", c, i
            }
        }' >> "$RESULTS"
}

report_scaling() {
    local k c
    echo
    echo "Scaling (docs/scaling.md): k posflow instances, one consumer group, topic of $(get scale_partitions) partitions,"
    echo "$(get scale_k1_records) records keyed by $(get scale_sources) sources, produced once the group held every partition;"
    echo "rates from the end of production to the last row; CPU in cores of $(nproc) over that span."
    for k in $(scale_instances); do
        local t="scale_k$k"
        row "scaling, $k instance(s): rows/s (from the first row)" "$(get "${t}_rows_per_s") ($(get "${t}_whole_rows_per_s"))" \
            "exact: $([ "$(get "${t}_exact")" = yes ] && echo met || echo MISSED)"
        row "  x the rate of 1 instance" "$(get "${t}_speedup")" ""
        row "  rows, duplicate Kafka keys, per partition = end offset" "$(get "${t}_rows"), $(get "${t}_duplicates"), $(get "${t}_exact")" ""
        row "  CPU: posflow (each) / MariaDB / Kafka / others" "$(get "${t}_posflow_cores") ($(get "${t}_posflow_cores_each")) / $(get "${t}_mariadb_cores") / $(get "${t}_kafka_cores") / $(get "${t}_others_cores")" ""
        row "  machine busy, cores of $(nproc)" "$(get "${t}_machine_cores")" ""
        row "  posflow us/row, rows/s per posflow core" "$(get "${t}_posflow_us_per_row"), $(get "${t}_rows_per_posflow_core")" ""
        row "  MariaDB us/row, rows/s per MariaDB core" "$(get "${t}_mariadb_us_per_row"), $(get "${t}_rows_per_mariadb_core")" ""
        row "  records per instance (its partitions)" "$(get "${t}_instance_records")" ""
    done
    row "MariaDB us/row, pooled over the runs (range)" "$(get scale_mariadb_us_per_row) ($(get scale_mariadb_us_per_row_range))" ""
    row "  rows/s per MariaDB core, pooled" "$(get scale_rows_per_mariadb_core)" ""
    row "posflow us/row, pooled over the runs (range)" "$(get scale_posflow_us_per_row) ($(get scale_posflow_us_per_row_range))" ""
    row "  rows/s per posflow core, pooled" "$(get scale_rows_per_posflow_core)" ""
    for c in ${BENCH_SCALE_CORES:-8 16 32}; do
        row "arithmetic: a primary of $c cores saturates at, rows/s" "$(get "scale_ceiling_c${c}_rows_per_s") ($(get "scale_ceiling_c${c}_range"))" ""
        row "  posflow cores for that; instances at 1 instance's rate" "$(get "scale_ceiling_c${c}_posflow_cores"); $(get "scale_ceiling_c${c}_instances")" ""
    done
}
