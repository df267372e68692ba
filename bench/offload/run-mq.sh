#!/bin/sh
# Multi-queue: aggregate drain rate of 1 vs 2 queues (one thread + EpollReactor each) of one
# IFF_MULTI_QUEUE device, 64-byte UDP over 64 flows, no offload; a fresh namespace per run.
#   ROUNDS=3 PACKETS=300000 bench/offload/run-mq.sh
set -eu
. "$(dirname "$0")/env.sh"
ROUNDS=${ROUNDS:-3}; PACKETS=${PACKETS:-300000}
for r in $(seq 1 "$ROUNDS"); do
  for q in 1 2; do
    NS=jpoffmq$$
    ip netns add $NS
    trap 'ip netns del $NS 2>/dev/null' EXIT INT TERM
    ip -n $NS link set lo up
    echo "round=$r queues=$q busy_before=$(busy)%"
    timeout 60 ip netns exec $NS "$JAVA" $JOPTS -cp "$CP" io.jpair.tuntap.bench.MultiQueueDrainBench $q "$PACKETS" \
        2>/dev/null | grep RESULT | sed "s/^/round=$r /" || true
    ip netns del $NS
  done
done
