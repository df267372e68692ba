"""Same-round ratios jpair/C and jpair/Twisted from bench/compare's raw log.

    python3 bench/ratios.py bench/results/compare-XXXX.log [more logs: pooled, rounds kept apart]

The log has peer-bench/run.sh's format ("LABEL round=R busy_before=B RESULT mode=M k=v ...",
labels c-*, twisted-*, jpair-*), so ../shared/peer-bench/summarize.py reads it too; this script
adds what summarize.py does not know: the jpair columns, the ratios, and jpair's allocation and GC.
"""
import re
import statistics
import sys
from collections import defaultdict

# scenario -> (mode of the line that carries the headline pps, per contender)
HEADLINE = {
    "drain": {"c": "drain", "twisted": "twisted-drain", "jpair": "drain"},
    "rx": {"c": "rx", "twisted": "twisted-rx", "jpair": "rx"},
    "echo": {"c": "ping", "twisted": "ping", "jpair": "ping"},  # replies/s at the client
    "tx": {"c": "tx", "twisted": None, "jpair": "tx"},
}
CPU = {  # where the reader's/responder's CPU us per packet is
    "drain": {"c": "drain", "twisted": None, "jpair": "drain"},
    "rx": {"c": "rx", "twisted": "twisted-rx", "jpair": "rx"},
    "echo": {"c": "echo", "twisted": "twisted-echo", "jpair": "echo"},
    "tx": {"c": "tx", "twisted": None, "jpair": "tx"},
}

# jpair_offload (bench/compare --offload) is jpair with OffloadOptions.enabled(), and jpair_base
# (--baseline DIR) is another jpair tree, jpair_netty / jpair_netty_uring (--netty, --netty-uring) are
# the scenarios through jpair-netty's TunChannel: same lines.
for table in (HEADLINE, CPU):
    for modes in table.values():
        modes["jpair_offload"] = modes["jpair"]
        modes["jpair_base"] = modes["jpair"]
        modes["jpair_netty"] = modes["jpair"]
        modes["jpair_netty_uring"] = modes["jpair"]

rows = defaultdict(dict)  # (file, round, scenario) -> {(who, mode): kv}
order = []
for f in sys.argv[1:]:
    for line in open(f):
        if " RESULT " not in line:
            continue
        label = line.split()[0]
        who, _, scen = label.partition("-")
        kv = dict(re.findall(r"(\w+)=(\S+)", line))
        key = (f, kv["round"], scen)
        rows[key][(who, kv["mode"])] = kv
        if scen not in order:
            order.append(scen)


def stats(xs):
    if not xs:
        return "-"
    med = statistics.median(xs)
    fmt = (lambda v: f"{v / 1000:,.0f} k") if med >= 1000 else (lambda v: f"{v:.2f}")
    return f"{fmt(med)} [{fmt(min(xs))}–{fmt(max(xs))}]"


def values(scen, who, table, key):
    kind = scen.split("-")[0]
    mode = table[kind][who]
    out = []
    for (f, r, s), d in rows.items():
        if s == scen and mode and (who, mode) in d and key in d[(who, mode)]:
            out.append(float(d[(who, mode)][key]))
    return out


def ratios(scen, num, den):
    kind = scen.split("-")[0]
    out = []
    for (f, r, s), d in rows.items():
        if s != scen:
            continue
        a = d.get((num, HEADLINE[kind][num]))
        b = d.get((den, HEADLINE[kind][den])) if HEADLINE[kind][den] else None
        if a and b and float(b["pps"]) > 0:
            out.append(float(a["pps"]) / float(b["pps"]))
    return out


print("| scenario | C pps | Twisted pps | jpair pps | jpair/C (same round) | jpair/Twisted (same round) "
      "| CPU µs/pkt C / Twisted / jpair | jpair alloc B/pkt | jpair GCs in window | n |")
print("|---|---|---|---|---|---|---|---|---|---|")
for scen in order:
    kind = scen.split("-")[0]
    if kind not in HEADLINE:
        continue
    for jp in ("jpair", "jpair_offload", "jpair_netty", "jpair_netty_uring", "jpair_base"):
        pps = {w: values(scen, w, HEADLINE, "pps") for w in ("c", "twisted", jp)}
        if not pps[jp] and jp != "jpair":
            continue
        cpu = [values(scen, w, CPU, "us_per_pkt") for w in ("c", "twisted", jp)]
        cpu_s = " / ".join(f"{statistics.median(x):.2f}" if x else "-" for x in cpu)
        alloc = values(scen, jp, CPU, "alloc_bytes_per_pkt")
        gcs = values(scen, jp, CPU, "gc")
        n = max(len(v) for v in pps.values())
        name = {"jpair": scen, "jpair_offload": f"{scen} (jpair with offload)",
                "jpair_netty": f"{scen} (jpair-netty TunChannel, epoll)",
                "jpair_netty_uring": f"{scen} (jpair-netty TunChannel, io_uring)",
                "jpair_base": f"{scen} (jpair_base: the --baseline tree)"}[jp]
        print(f"| {name} | {stats(pps['c'])} | {stats(pps['twisted'])} | {stats(pps[jp])} "
              f"| {stats(ratios(scen, jp, 'c'))} | {stats(ratios(scen, jp, 'twisted'))} | {cpu_s} "
              f"| {f'{statistics.median(alloc):.3f} (max {max(alloc):.3f})' if alloc else '-'} "
              f"| {f'{int(max(gcs))} max' if gcs else '-'} | {n} |")
busy = [float(d["busy_before"]) for r in rows.values() for d in r.values()]
if busy:
    print(f"\nCPU busy % (all cores) just before each run: min {min(busy):.0f}, "
          f"median {statistics.median(busy):.0f}, max {max(busy):.0f} (>15 means other load was present)")

base = [scen for scen in order if scen.split("-")[0] in HEADLINE and values(scen, "jpair_base", HEADLINE, "pps")]
if base:
    print("\n| scenario | jpair / jpair_base pps (same round) | CPU µs/pkt jpair / jpair_base | n |")
    print("|---|---|---|---|")
    for scen in base:
        cpu = [values(scen, w, CPU, "us_per_pkt") for w in ("jpair", "jpair_base")]
        cpu_s = " / ".join(f"{statistics.median(x):.2f}" if x else "-" for x in cpu)
        r = ratios(scen, "jpair", "jpair_base")
        print(f"| {scen} | {stats(r)} | {cpu_s} | {len(r)} |")
