# gso-flood.py LOCAL PEER PORT SEGMENT LENGTH SECONDS: the offload scenario's own traffic.
# A UDP socket bound to LOCAL and connected to PEER:PORT with UDP_SEGMENT = SEGMENT sends
# LENGTH-byte buffers, each one GSO super-packet of LENGTH / SEGMENT segments, until SECONDS
# pass, stdin closes (the benchmark JVM closed it or died) or SIGTERM. Every 50 ms, and on
# exit, prints "sends=N errors=M" (running totals) on stdout. Run by io.jpair.bench.GsoFlood as
# `python3 -c SCRIPT ARGS...`, so jpair-bench needs no socket bindings from jpair-core.
import os
import select
import signal
import socket
import sys
import time

UDP_SEGMENT = 103  # <linux/udp.h>

local, peer, port, segment, length, seconds = sys.argv[1:7]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((local, 0))
sock.connect((peer, int(port)))
sock.setsockopt(socket.SOL_UDP, UDP_SEGMENT, int(segment))
payload = bytes(int(length))
stopped = False


def stop(signum, frame):
    global stopped
    stopped = True


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
sends = errors = 0
deadline = time.monotonic() + float(seconds)
report = time.monotonic() + 0.05
while not stopped:
    for _ in range(64):
        try:
            sock.send(payload)
            sends += 1
        except OSError:
            errors += 1
    now = time.monotonic()
    if now >= report:
        print(f"sends={sends} errors={errors}", flush=True)
        report = now + 0.05
        if now >= deadline or select.select([sys.stdin], [], [], 0)[0] and not os.read(0, 1):
            break
try:
    print(f"sends={sends} errors={errors}", flush=True)
except BrokenPipeError:
    pass  # the JVM stopped listening first
