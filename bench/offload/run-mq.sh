#!/bin/sh
# Multi-queue: aggregate drain rate of 1 vs 2 queues (one thread + EpollReactor each) of one
# IFF_MULTI_QUEUE device, 64-byte UDP over 64 flows, no offload; a fresh namespace per run.
#   ROUNDS=3 PACKETS=300000 bench/offload/run-mq.sh
set -eu
. "$(dirname "$0")/env.sh"
ROUNDS=${ROUNDS:-3}; PACKETS=${PACKETS:-300000}
for r in $(seq 1 "$ROUNDS"); do
  # Baseline: tunbench's single-queue C drain (read() per packet) in the same round.
  NS=jpoffmq$$
  ip netns add $NS
  trap 'ip netns del $NS 2>/dev/null' EXIT INT TERM
  ip -n $NS link set lo up
  ip -n $NS tuntap add dev tb0 mode tun
  ip -n $NS addr add 10.99.0.1/24 dev tb0
  ip -n $NS link set tb0 up txqueuelen 400000
  echo "round=$r c-drain busy_before=$(wait_idle)%"
  timeout 30 ip netns exec $NS "$TUNBENCH" drain tb0 2 > /tmp/jpoff-drain.out &
  DPID=$!
  sleep 0.2
  timeout 10 ip netns exec $NS "$TUNBENCH" send 1.2 64 > /dev/null || true
  wait $DPID || true
  grep RESULT /tmp/jpoff-drain.out | sed "s/^/round=$r /"
  ip netns del $NS
  for q in 1 2; do
    NS=jpoffmq$$
    ip netns add $NS
    trap 'ip netns del $NS 2>/dev/null' EXIT INT TERM
    ip -n $NS link set lo up
    echo "round=$r queues=$q busy_before=$(wait_idle)%"
    timeout 60 ip netns exec $NS "$JAVA" $JOPTS -cp "$CP" io.jpair.bench.offload.MultiQueueDrainBench $q "$PACKETS" \
        2>/dev/null | grep RESULT | sed "s/^/round=$r /" || true
    ip netns del $NS
  done
done
