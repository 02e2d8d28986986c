#!/usr/bin/env bash
# Export rate of each format (CSV, NDJSON, GeoJSON) over the same rows: docs/performance.md ("Export writers").
#
#   bench/export-rate.sh [ROWS] [ROUNDS]     ROWS inserted by SQL (default 300,000), ROUNDS measured exports per format
#                                            (default 5, after one to warm up)
#
# Runs ExportRateBench (src/test/java/dev/posflow/export) as a @QuarkusTest: the app in the JVM of the test, the rows
# in the test database (_TEST_QUARKUS_DATASOURCE_JDBC_URL, wiped at start), each export read whole over HTTP by a
# client that drops the bytes. Prints one line per format: the best and median rows/s.
set -euo pipefail
ROWS=${1:-300000}
ROUNDS=${2:-5}
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -o test -Dtest=ExportRateBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.export.rows="$ROWS" -Dbench.export.rounds="$ROUNDS" -DtrimStackTrace=false 2>&1 \
    | tee "${TMPDIR:-/tmp}/export-rate.log" | grep '^export-rate ' || { tail -50 "${TMPDIR:-/tmp}/export-rate.log"; exit 1; }
