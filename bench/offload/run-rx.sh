#!/bin/sh
# Super-packet RX: C offload reader (tunbench rx ... vnet) vs TunQueue (split and virtio modes),
# interleaved per round, fed by tunbench's UDP_SEGMENT sender (1400-byte segments, ~58 KB sends).
# Needs root, gcc, ip, taskset; build first: mvn -q package -pl jpair-bench -am -DskipTests
#   ROUNDS=5 SECS=2 bench/offload/run-rx.sh
set -eu
. "$(dirname "$0")/env.sh"
ROUNDS=${ROUNDS:-3}; SECS=${SECS:-2}
NS=jpoffrx$$
ip netns add $NS
trap 'ip netns del $NS 2>/dev/null' EXIT INT TERM
ip -n $NS link set lo up
ip -n $NS tuntap add dev tb0 mode tun
ip -n $NS addr add 10.99.0.1/24 dev tb0
ip -n $NS link set tb0 up
SEND=$(echo "$SECS + 4" | bc)
for r in $(seq 1 "$ROUNDS"); do
  for reader in c split virtio; do
    echo "round=$r reader=$reader busy_before=$(wait_idle)%"
    timeout 30 ip netns exec $NS taskset -c 0 "$TUNBENCH" send "$SEND" 1400 1400 > /tmp/jpoff-sender.out &
    SPID=$!
    sleep 0.3
    case $reader in
      c) timeout 30 ip netns exec $NS taskset -c 1 "$TUNBENCH" rx tb0 "$SECS" vnet > /tmp/jpoff-reader.out & ;;
      *) timeout 30 ip netns exec $NS taskset -c 1 "$JAVA" $JOPTS -cp "$CP" io.jpair.bench.offload.TunQueueRxBench \
             tb0 "$SECS" $reader > /tmp/jpoff-reader.out 2>/dev/null & ;;
    esac
    RPID=$!
    wait $RPID || true
    kill $SPID 2>/dev/null || true; wait $SPID 2>/dev/null || true
    grep RESULT /tmp/jpoff-reader.out | sed "s/^/round=$r /"
    grep RESULT /tmp/jpoff-sender.out | sed "s/^/round=$r sender: /"
  done
done
