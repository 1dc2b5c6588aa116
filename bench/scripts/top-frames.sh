#!/bin/sh
# Where the CPU went in JFR recordings: the share of execution samples by top frame, and by the
# first io.parley frame on the stack (who asked for the work). Several files are summed.
#   ROWS=25 bench/scripts/top-frames.sh server.jfr [more.jfr...]
# EVENT=jdk.ObjectAllocationSample weighs each stack by the bytes its sample stands for (shares of
# allocated bytes) instead of counting execution samples.
# Record with: jcmd <server pid> JFR.start name=knee settings=profile
#              ... load ...
#              jcmd <server pid> JFR.stop name=knee filename=/tmp/server.jfr
set -eu
rows=${ROWS:-25}
event=${EVENT:-jdk.ExecutionSample}
jfr=${JAVA_HOME:+$JAVA_HOME/bin/}jfr
for file in "$@"; do $jfr print --events "$event" --stack-depth 64 "$file"; done | awk -v rows="$rows" -v event="$event" '
  function area(f) {
    if (f ~ /^io\.vertx\.(pgclient|sqlclient)/) return "PostgreSQL client (vertx-pg-client)"
    if (f ~ /^io\.vertx\.redis/) return "Redis client"
    if (f ~ /jackson|\.json\./) return "JSON (Jackson, JsonObject)"
    if (f ~ /bouncycastle|javax\.crypto|com\.sun\.crypto|sun\.security|java\.security/) return "crypto (AES-GCM, X25519, Ed25519, SHA)"
    if (f ~ /^(io\.netty|sun\.nio|java\.nio)/) return "network I/O (Netty, NIO)"
    if (f ~ /^io\.vertx\.core/) return "Vert.x core (futures, bus, contexts)"
    if (f ~ /^io\.parley/) return "Parley code"
    return "JDK collections, strings, other"
  }
  function clean(line) { sub(/^[ \t]+/, "", line); sub(/[ \t]+line:.*/, "", line); return line }
  function bytes(v, unit) { return unit == "kB" ? v * 1024 : unit == "MB" ? v * 1048576 : unit == "GB" ? v * 1073741824 : v }
  /^[a-zA-Z.]+ \{/ { w = 1 }
  /^[ \t]*weight = / { w = bytes($3 + 0, $4) }
  /stackTrace = \[/ { inStack = 1; depth = 0; parley = ""; next }
  inStack && /^[ \t]*\]/ { inStack = 0; total += w; if (parley == "") parley = "(no io.parley frame)"; byParley[parley] += w; next }
  inStack {
    frame = clean($0)
    if (frame == "...") next
    if (depth == 0) { byTop[frame] += w; byArea[area(frame)] += w }
    if (parley == "" && frame ~ /^io\.parley\./) parley = frame
    depth++
  }
  END {
    printf "%d %s\n\n-- by top frame --\n", total, (event == "jdk.ObjectAllocationSample" ? "bytes (weighted allocation samples)" : "samples")
    for (f in byTop) printf "%6.2f%%  %s\n", 100 * byTop[f] / total, f | "sort -rn | head -" rows
    close("sort -rn | head -" rows)
    printf "\n-- by area of the top frame --\n"
    for (a in byArea) printf "%6.2f%%  %s\n", 100 * byArea[a] / total, a | "sort -rn"
    close("sort -rn")
    printf "\n-- by first io.parley frame --\n"
    for (f in byParley) printf "%6.2f%%  %s\n", 100 * byParley[f] / total, f | "sort -rn | head -" rows
    close("sort -rn | head -" rows)
  }'
