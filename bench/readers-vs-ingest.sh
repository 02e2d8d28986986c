#!/usr/bin/env bash
# Ingest's rate beside slow readers (issue 16: >= 0.8 x its rate alone under 30 slow exports): docs/delivery.md
# ("Readers and ingest").
#
#   bench/readers-vs-ingest.sh [RUNS]     RUNS runs of the test (default 3), one line each
#
# Runs ReadersDoNotStarveIngestTest (src/test/java/dev/posflow/export) as a @QuarkusTest against the test database
# (MySQL 8 started by the tests, or _TEST_QUARKUS_DATASOURCE_JDBC_URL) and its own Kafka broker: 100,000 records
# ingested alone, under 30 exports read at 1 KB/s, with 20 heatmap clients too, and alone again. The test holds that
# ingest finishes on its own pool; the rates are CPU shared on the machine, so they are figures, measured here on a
# machine that runs nothing else, not a timed assertion. Prints the machine's load beside each run.
set -euo pipefail
RUNS=${1:-3}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for run in $(seq 1 "$RUNS"); do
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    ./mvnw -B -o test -Dtest=ReadersDoNotStarveIngestTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
        | tee "${TMPDIR:-/tmp}/readers-vs-ingest.log" | grep -o 'readers-vs-ingest: .*' \
        | sed "s|^|run $run (load before: $load) |" || { tail -50 "${TMPDIR:-/tmp}/readers-vs-ingest.log"; exit 1; }
done
