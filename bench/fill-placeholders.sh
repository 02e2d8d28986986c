#!/usr/bin/env bash
# Replaces every ⟨key⟩ in a document with the value of key in a results file of bench/run.sh (key=value lines), so that
# the figures of a page are the printed ones, not typed ones. Prints the keys it could not find, and fails then.
#
#   bench/fill-placeholders.sh /tmp/posflow-bench/results.txt docs/scaling.md
set -euo pipefail
results=$1 doc=$2
export LC_ALL=C   # byte offsets: ⟨ and ⟩ are 3 bytes each
awk -v results="$results" '
    BEGIN { while ((getline line < results) > 0) { i = index(line, "="); if (i > 1) v[substr(line, 1, i - 1)] = substr(line, i + 1) } }
    { out = ""; rest = $0
      while (match(rest, /⟨[A-Za-z0-9_]+⟩/)) {
          key = substr(rest, RSTART + 3, RLENGTH - 6)
          if (key in v) val = v[key]; else { val = substr(rest, RSTART, RLENGTH); missing[key] = 1 }
          out = out substr(rest, 1, RSTART - 1) val; rest = substr(rest, RSTART + RLENGTH) }
      print out rest > (FILENAME ".filled") }
    END { for (k in missing) { print "missing: " k > "/dev/stderr"; bad = 1 } exit bad }' "$doc" && mv "$doc.filled" "$doc"
