# Fragment, ICMP error and path MTU conformance cases, sent with scapy from this (kernel) side to
# one target host, the Linux kernel of a child namespace or a jpair host; prints one line per case,
# "case: observation", which the test compares between the two.
#   python3 fragconf.py IFACE TARGET REASSEMBLY_TIMEOUT_SECONDS
import sys
import time
from scapy.all import IP, ICMP, UDP, Raw, AsyncSniffer, send, conf

conf.verb = 0
iface, target, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
me = conf.route.route(target)[1]


def observe(packets, wait, matches):
    sniffer = AsyncSniffer(iface=iface, filter="icmp and src host " + target, store=True)
    sniffer.start()
    time.sleep(0.3)
    for p in packets:
        send(p)
    time.sleep(wait)
    sniffer.stop()
    return [p for p in sniffer.results if IP in p and matches(p)]


def echo(ident, size):
    return IP(src=me, dst=target, id=ident, flags=0) / ICMP(type=8, id=ident, seq=1) / Raw(b"J" * size)


def frags(packet, pieces):
    """The fragments of packet's payload cut at the given byte offsets [(start, end), ...]."""
    raw = bytes(packet[IP].payload)
    out = []
    for start, end in pieces:
        more = 1 if end < len(raw) else 0
        out.append(IP(src=me, dst=target, id=packet[IP].id, proto=1, flags=more, frag=start // 8) / Raw(raw[start:end]))
    return out


def replies(found, ident):
    return [p for p in found if p[IP].proto == 1 and (p[IP].frag > 0 or (ICMP in p and p[ICMP].type == 0 and p[ICMP].id == ident))]


# 1. An echo request in three fragments, the last first: answered.
req = echo(0x4101, 64)
found = observe(frags(req, [(48, 72), (0, 24), (24, 48)]), 1.0, lambda p: True)
print("reordered fragments:", "answered" if replies(found, 0x4101) else "not answered")

# 2. A fragment overlapping the first: the datagram is discarded (RFC 5722, FragmentSmack).
req = echo(0x4102, 64)
f = frags(req, [(0, 32), (16, 72)])
found = observe(f, 1.0, lambda p: True)
print("overlapping fragments:", "answered" if replies(found, 0x4102) else "not answered")

# 3. An exact duplicate is tolerated.
req = echo(0x4103, 64)
f = frags(req, [(0, 32), (32, 72)])
found = observe([f[0], f[0], f[1]], 1.0, lambda p: True)
print("duplicate fragment:", "answered" if replies(found, 0x4103) else "not answered")

# 4. Only the first fragment: Time Exceeded code 1 quoting it, after the reassembly timeout.
req = echo(0x4104, 64)
found = observe(frags(req, [(0, 32)]), timeout + 1.5, lambda p: ICMP in p and p[ICMP].type == 11)
quoted = [p for p in found if p[ICMP].code == 1 and bytes(p[ICMP].payload)[4:6] == (0x4104).to_bytes(2, "big")]
print("first fragment only:", "time exceeded code 1 quoting it" if quoted else "nothing")

# 5. Only a later fragment: silently discarded.
req = echo(0x4105, 64)
found = observe(frags(req, [(32, 72)]), timeout + 1.5, lambda p: ICMP in p and p[ICMP].type == 11)
print("later fragment only:", "time exceeded" if found else "nothing")

# 6. UDP to a closed port: port unreachable quoting the IP header and the UDP header.
probe = IP(src=me, dst=target, id=0x4106) / UDP(sport=40000, dport=33434) / Raw(b"x" * 20)
found = observe([probe], 1.0, lambda p: ICMP in p and p[ICMP].type == 3)
ok = [p for p in found if p[ICMP].code == 3 and bytes(p[ICMP].payload)[4:6] == (0x4106).to_bytes(2, "big")
      and bytes(p[ICMP].payload)[22:24] == (33434).to_bytes(2, "big") and len(bytes(p[ICMP].payload)) >= 48]
print("closed UDP port:", "port unreachable quoting the datagram" if ok else "nothing")

# 7. Fragmentation needed (MTU 1000) about an echo reply the target sent us: its next large
#    reply comes in fragments of at most 1000 bytes.
quote = bytes(IP(src=target, dst=me, id=1, flags=2, len=1428) / ICMP(type=0, id=0x4107, seq=1))[:28]
needed = IP(src=me, dst=target) / ICMP(type=3, code=4, nexthopmtu=1000) / Raw(quote)
send(needed)
time.sleep(0.3)
found = observe([echo(0x4107, 1400)], 1.0, lambda p: True)
sizes = sorted(p[IP].len for p in found if p[IP].proto == 1)
big = [s for s in sizes if s > 1000]
print("fragmentation needed 1000:", "reply in fragments of at most 1000" if len(sizes) >= 2 and not big else
      "reply sizes " + str(sizes))
