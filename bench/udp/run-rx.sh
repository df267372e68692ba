#!/bin/sh
# UDP receive of small datagrams: jpair's UdpPort (recvmmsg batches on an EpollReactor,
# io.jpair.bench.UdpDrain) vs a C poll() + recv()-per-datagram loop (udprecv.c), and for reference
# the same C loop with recvmmsg (c_mmsg), interleaved per round in one private network namespace
# over loopback. Each program fills its own receive queue
# with COUNT datagrams (sendmmsg) and times the drain, after WARMUP rounds of its own.
# Needs root, gcc, ip; builds jpair-bench if its jar is missing:
#   ROUNDS=5 COUNT=4096 SIZE=64 INNER=30 WARMUP=200 bench/udp/run-rx.sh
# (COUNT datagrams per drain: 4096 keeps the queued skbs within the caches; WARMUP rounds warm the
# JIT and the FFM downcalls, whose first few thousand calls are slow.) Prints every RESULT line,
# then the medians and the ratio c_ns / jpair_ns (> 1: jpair is faster; the target is >= 1.5).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ROUNDS=${ROUNDS:-5}; COUNT=${COUNT:-4096}; SIZE=${SIZE:-64}; INNER=${INNER:-30}; WARMUP=${WARMUP:-200}
JAVA_HOME=${JAVA_HOME:-$("$ROOT/scripts/find-jdk25")}
JAR=$ROOT/jpair-bench/target/benchmarks.jar
[ -f "$JAR" ] || (cd "$ROOT" && JAVA_HOME=$JAVA_HOME mvn -q -B package -pl jpair-bench -am -DskipTests) >&2
BIN=$(mktemp -d)
NS=jpudprx$$
trap 'ip netns del $NS 2>/dev/null; rm -rf "$BIN"' EXIT INT TERM
gcc -O2 -Wall -o "$BIN/udprecv" "$ROOT/bench/udp/udprecv.c"
ip netns add $NS
ip -n $NS link set lo up
OUT=$BIN/results
for r in $(seq 1 "$ROUNDS"); do
  timeout 60 ip netns exec $NS "$BIN/udprecv" "$COUNT" "$INNER" 20 "$SIZE" recv | sed "s/^RESULT /RESULT outer=$r /" | tee -a "$OUT"
  timeout 120 ip netns exec $NS "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms256m -Xmx256m \
      -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" io.jpair.bench.UdpDrain \
      "$COUNT" "$INNER" "$WARMUP" "$SIZE" | sed "s/^RESULT /RESULT outer=$r /" | tee -a "$OUT"
  timeout 60 ip netns exec $NS "$BIN/udprecv" "$COUNT" "$INNER" 20 "$SIZE" recvmmsg | sed "s/^RESULT /RESULT outer=$r /" | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
ns = {"c": [], "jpair": [], "c_mmsg": []}
alloc = []
for line in open(sys.argv[1]):
    impl = re.search(r"impl=(\w+)", line).group(1)
    ns[impl].append(float(re.search(r"ns_per_dgram=([\d.]+)", line).group(1)))
    m = re.search(r"alloc_bytes_per_dgram=([\d.]+)", line)
    if m:
        alloc.append(float(m.group(1)))
c, j = statistics.median(ns["c"]), statistics.median(ns["jpair"])
m = statistics.median(ns["c_mmsg"])
print("SUMMARY c_ns_per_dgram=%.1f jpair_ns_per_dgram=%.1f c_mmsg_ns_per_dgram=%.1f ratio_c_over_jpair=%.2f"
      " ratio_c_over_c_mmsg=%.2f jpair_alloc_bytes_per_dgram=%.2f rounds=%d"
      % (c, j, m, c / j, c / m, statistics.median(alloc) if alloc else -1, len(ns["c"])))
PY
