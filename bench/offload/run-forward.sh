#!/bin/sh
# TCP through TUN: iperf3 from namespace A to namespace B, routed through a jpair TunForwarder
# (two TUN ports, one reactor thread) running in a third namespace, with MODE plain (no offload),
# split (split on read + GRO on write) and virtio (super-packets passed through); interleaved.
#   ROUNDS=3 SECS=4 MODES="plain split virtio" bench/offload/run-forward.sh
set -eu
. "$(dirname "$0")/env.sh"
ROUNDS=${ROUNDS:-3}; SECS=${SECS:-4}; MODES=${MODES:-"plain split virtio"}
A=jpfwa$$; B=jpfwb$$; M=jpfwm$$
cleanup() { for n in $A $B $M; do ip netns del $n 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
for n in $A $B $M; do ip netns add $n; ip -n $n link set lo up; done
FWD_SECS=$(echo "$SECS + 6" | bc)
for r in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    echo "round=$r mode=$mode busy_before=$(wait_idle)%"
    timeout 40 ip netns exec $M "$JAVA" $JOPTS ${FWD_OPTS:-} -cp "$CP" io.jpair.bench.offload.TunForwarder fwa fwb $mode "$FWD_SECS" \
        > /tmp/jpoff-fwd.out 2>/tmp/jpoff-fwd-$mode.err &
    FPID=$!
    for i in $(seq 1 200); do grep -q READY /tmp/jpoff-fwd.out 2>/dev/null && break; sleep 0.1; done
    if ! grep -q READY /tmp/jpoff-fwd.out; then
        echo "round=$r mode=$mode forwarder not ready after 20 s, skipped"; kill $FPID 2>/dev/null || true; wait $FPID || true
        continue
    fi
    ip -n $M link set fwa netns $A; ip -n $M link set fwb netns $B
    ip -n $B addr add 10.102.0.1/24 dev fwb; ip -n $B link set fwb up; ip -n $B route add 10.101.0.0/24 dev fwb
    ip -n $A addr add 10.101.0.1/24 dev fwa; ip -n $A link set fwa up; ip -n $A route add 10.102.0.0/24 dev fwa
    timeout 20 ip netns exec $B iperf3 -s -1 -B 10.102.0.1 > /dev/null 2>&1 &
    SRV=$!
    sleep 0.3
    timeout $((SECS + 10)) ip netns exec $A iperf3 -c 10.102.0.1 -t "$SECS" -O 1 -J > /tmp/jpoff-iperf-$mode.json 2>&1 || true
    python3 - "$r" "$mode" <<'PY'
import json, sys
try:
    d = json.load(open('/tmp/jpoff-iperf-%s.json' % sys.argv[2]))
    if 'error' in d:
        raise Exception(d['error'])
    e = d['end']
    print(f"round={sys.argv[1]} RESULT mode=iperf3-{sys.argv[2]} gbps={e['sum_received']['bits_per_second']/1e9:.3f} "
          f"retransmits={e['sum_sent'].get('retransmits')} sender_cpu={e['cpu_utilization_percent']['host_total']:.0f}% "
          f"receiver_cpu={e['cpu_utilization_percent']['remote_total']:.0f}%")
except Exception as x:
    print(f"round={sys.argv[1]} RESULT mode=iperf3-{sys.argv[2]} failed: {x}")
PY
    kill $SRV 2>/dev/null || true; wait $SRV 2>/dev/null || true
    wait $FPID 2>/dev/null || true
    grep RESULT /tmp/jpoff-fwd.out | sed "s/^/round=$r /" || true
  done
done
