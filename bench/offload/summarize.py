#!/usr/bin/env python3
"""Medians and same-round ratios from bench/offload logs: summarize.py results/*.log"""
import re, statistics, sys
from collections import defaultdict

def kv(line):
    return dict(re.findall(r'(\w+)=([^\s]+)', line))

rx = defaultdict(dict); fwd = defaultdict(dict); mq = defaultdict(dict)
for path in sys.argv[1:]:
    for line in open(path):
        if 'RESULT' not in line or 'sender:' in line:
            continue
        d = kv(line); r = (path, d.get('round'))
        m = d.get('mode', '')
        if m == 'rx':
            rx[r]['c'] = d
        elif m.startswith('jrx-'):
            rx[r][m[4:]] = d
        elif m.startswith('iperf3-') and 'gbps' in d:
            fwd[r][m[7:]] = d
        elif m == 'mq-drain':
            mq[r][d['queues']] = d
        elif m == 'drain':
            mq[r]['c'] = d

def med(xs):
    return f"{statistics.median(xs):.3g} [{min(xs):.3g}-{max(xs):.3g}] n={len(xs)}" if xs else "n/a"

if rx:
    print("## Super-packet RX (Gbit/s of IP bytes read; us CPU per super-packet)")
    for reader in ('c', 'virtio', 'split'):
        g = [float(v[reader]['gbps']) for v in rx.values() if reader in v]
        cpu = [float(v[reader]['cpu']) for v in rx.values() if reader in v]
        us = [float(v[reader]['cpu']) * float(v[reader]['secs']) * 1e6 /
              (float(v[reader]['super_pps' if reader != 'c' else 'pps']) * float(v[reader]['secs']))
              for v in rx.values() if reader in v]
        print(f"{reader:7s} gbps {med(g)}  cpu_share {med(cpu)}  us/super-packet {med(us)}")
    for reader in ('virtio', 'split'):
        ratio = [float(v[reader]['gbps']) / float(v['c']['gbps']) for v in rx.values() if reader in v and 'c' in v]
        eff = [(float(v[reader]['gbps']) / float(v[reader]['cpu'])) / (float(v['c']['gbps']) / float(v['c']['cpu']))
               for v in rx.values() if reader in v and 'c' in v]
        print(f"{reader}/C same round: gbps {med(ratio)}; gbps per CPU-second {med(eff)}")
if fwd:
    print("## TCP through a TunForwarder (iperf3 Gbit/s)")
    for mode in ('plain', 'split', 'virtio'):
        print(f"{mode:7s} {med([float(v[mode]['gbps']) for v in fwd.values() if mode in v])}")
    for mode in ('split', 'virtio'):
        print(f"{mode}/plain same round: {med([float(v[mode]['gbps']) / float(v['plain']['gbps']) for v in fwd.values() if mode in v and 'plain' in v and float(v['plain']['gbps']) > 0])}")
if mq:
    print("## Multi-queue drain (64 B UDP, 64 flows)")
    for q in ('1', '2'):
        vs = [v[q] for v in mq.values() if q in v]
        print(f"queues={q} aggregate_pps {med([float(d['aggregate_pps']) for d in vs])}  cpu_share {med([float(d['cpu_share']) for d in vs])}"
              f"  pps_per_cpu_second {med([float(d['pps_per_cpu_second']) for d in vs])}")
    cs = [v['c'] for v in mq.values() if 'c' in v]
    if cs:
        print(f"C drain (tunbench, 1 queue, 64 B) pps {med([float(d['pps']) for d in cs])}  us_per_pkt {med([float(d['us_per_pkt']) for d in cs])}")
        print(f"jpair 1 queue / C drain same round: {med([float(v['1']['aggregate_pps']) / float(v['c']['pps']) for v in mq.values() if '1' in v and 'c' in v])}")
    print(f"2q/1q same round: {med([float(v['2']['aggregate_pps']) / float(v['1']['aggregate_pps']) for v in mq.values() if '1' in v and '2' in v])}")
