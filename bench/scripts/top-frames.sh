#!/bin/sh
# Where the CPU went in a JFR recording: the share of execution samples by top frame, and by the
# first io.parley frame on the stack (who asked for the work).
#   bench/scripts/top-frames.sh server.jfr [rows]
# Record with: jcmd <server pid> JFR.start name=knee settings=profile
#              ... load ...
#              jcmd <server pid> JFR.stop name=knee filename=/tmp/server.jfr
set -eu
file=$1
rows=${2:-25}
jfr=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
$jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" | awk -v rows="$rows" '
  function clean(line) { sub(/^[ \t]+/, "", line); sub(/[ \t]+line:.*/, "", line); return line }
  /stackTrace = \[/ { inStack = 1; depth = 0; parley = ""; next }
  inStack && /^[ \t]*\]/ { inStack = 0; total++; if (parley == "") parley = "(no io.parley frame)"; byParley[parley]++; next }
  inStack {
    frame = clean($0)
    if (frame == "...") next
    if (depth == 0) byTop[frame]++
    if (parley == "" && frame ~ /^io\.parley\./) parley = frame
    depth++
  }
  END {
    printf "%d samples\n\n-- by top frame --\n", total
    for (f in byTop) printf "%6.2f%%  %s\n", 100 * byTop[f] / total, f | "sort -rn | head -" rows
    close("sort -rn | head -" rows)
    printf "\n-- by first io.parley frame --\n"
    for (f in byParley) printf "%6.2f%%  %s\n", 100 * byParley[f] / total, f | "sort -rn | head -" rows
    close("sort -rn | head -" rows)
  }'
