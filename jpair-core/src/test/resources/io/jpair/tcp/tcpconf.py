# TCP conformance cases, sent with scapy from this (kernel) side to one target host listening on
# port 7 (an echo service): the Linux kernel of a child namespace or a jpair host. Prints one line
# per case, "case: observation", which the test checks for both. The peer uses an address of the
# link that no host owns (SOURCE), so this side's kernel never answers the target's segments.
#   python3 tcpconf.py IFACE TARGET SOURCE MTU
import sys
import time
from scapy.all import IP, ICMP, TCP, Raw, AsyncSniffer, send, conf, fragment

conf.verb = 0
iface, target, me, mtu = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
PORT = 7
CLOSED = 9
ISN = 1000


class Peer:
    """One scripted connection from port sport: sends segments and sniffs what the target sends it."""

    def __init__(self, sport):
        self.sport = sport
        self.got = []
        self.seen = 0
        self.sniffer = AsyncSniffer(iface=iface, store=False, prn=self.got.append,
                                    filter="tcp and src host %s and dst host %s and dst port %d" % (target, me, sport))
        self.sniffer.start()
        time.sleep(0.3)

    def segment(self, flags, seq, ack=0, window=65535, options=(), data=b"", dport=PORT):
        p = IP(src=me, dst=target) / TCP(sport=self.sport, dport=dport, flags=flags, seq=seq, ack=ack,
                                         window=window, options=list(options))
        return p / Raw(data) if data else p

    def send(self, *packets):
        for p in packets:
            send(p)

    def wait(self, matches, timeout):
        """The next segment (after those already returned) that matches, with its arrival time."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            while self.seen < len(self.got):
                p = self.got[self.seen]
                self.seen += 1
                if TCP in p and matches(p):
                    return p
            time.sleep(0.01)
        return None

    def connect(self, options=(("MSS", 1460), ("SAckOK", b""))):
        """A handshake; returns (our next seq, their next seq) or None."""
        self.send(self.segment("S", ISN, options=options))
        sa = self.wait(lambda p: p[TCP].flags == "SA", 2)
        if sa is None:
            return None
        self.send(self.segment("A", ISN + 1, sa[TCP].seq + 1))
        time.sleep(0.2)
        return ISN + 1, sa[TCP].seq + 1

    def close(self, seq):
        self.send(self.segment("R", seq))
        time.sleep(0.1)
        self.sniffer.stop()


def opts(p):
    return dict((o[0], o[1]) for o in p[TCP].options)


def payload(p):
    return len(bytes(p[TCP].payload))


# 1. SYN with MSS, window scale, SACK-permitted and timestamps: the SYN-ACK carries each back.
peer = Peer(41001)
peer.send(peer.segment("S", ISN, options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (100, 0)), ("WScale", 7)]))
sa = peer.wait(lambda p: p[TCP].flags == "SA", 2)
if sa is None:
    print("syn with options: no syn-ack")
else:
    o = opts(sa)
    seen = ["ack=seq+1" if sa[TCP].ack == ISN + 1 else "ack=%d" % (sa[TCP].ack - ISN),
            "mss<=mtu-40" if 0 < o.get("MSS", 0) <= mtu - 40 else "mss=%s" % o.get("MSS"),
            "ws" if "WScale" in o else "no ws", "sack-permitted" if "SAckOK" in o else "no sack-permitted",
            "ts-echo" if "Timestamp" in o and o["Timestamp"][1] == 100 else "no ts-echo"]
    print("syn with options: syn-ack " + " ".join(seen))
peer.close(ISN + 1)

# 2. SYN without options: no window scale and no timestamps in the SYN-ACK (RFC 7323).
peer = Peer(41002)
peer.send(peer.segment("S", ISN))
sa = peer.wait(lambda p: p[TCP].flags == "SA", 2)
o = opts(sa) if sa is not None else {}
print("syn without options:", "no syn-ack" if sa is None else
      "syn-ack without ws or ts" if "WScale" not in o and "Timestamp" not in o else "syn-ack with " + str(sorted(o)))
peer.close(ISN + 1)

# 3. A SYN to a closed port: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> (RFC 9293 3.10.7.1).
peer = Peer(41003)
peer.send(peer.segment("S", 5000, dport=CLOSED))
rst = peer.wait(lambda p: p[TCP].flags.R, 2)
print("closed port:", "no rst" if rst is None else
      "rst ack=seq+1" if rst[TCP].flags == "RA" and rst[TCP].ack == 5001 else "rst " + str(rst[TCP].flags)
      + " ack=%d" % (rst[TCP].ack - 5000))
peer.close(5001)

# 4. An in-window RST whose seq is not RCV.NXT: a challenge ACK (RFC 5961 3.2), the connection stays.
peer = Peer(41004)
c = peer.connect()
if c is None:
    print("in-window rst: no connection")
else:
    ours, theirs = c
    peer.send(peer.segment("R", ours + 100))
    ack = peer.wait(lambda p: p[TCP].flags.A, 1)
    print("in-window rst:", "no answer" if ack is None else
          "challenge ack" if not ack[TCP].flags.R and ack[TCP].ack == ours else "answered " + str(ack[TCP].flags))
    peer.close(ours)

# 5. Out-of-order data: an immediate duplicate ACK with a SACK block (RFC 9293 3.10.7.4, RFC 2018).
peer = Peer(41005)
c = peer.connect()
if c is None:
    print("out-of-order data: no connection")
else:
    ours, theirs = c
    peer.send(peer.segment("PA", ours + 100, theirs, data=b"o" * 100))
    ack = peer.wait(lambda p: p[TCP].flags.A, 0.15)
    blocks = opts(ack).get("SAck") if ack is not None else None
    print("out-of-order data:", "no immediate ack" if ack is None else
          "duplicate ack with sack block" if ack[TCP].ack == ours and blocks and tuple(blocks[:2]) == (ours + 100, ours + 200)
          else "ack=%d sack=%s" % (ack[TCP].ack - ours, blocks))
    peer.close(ours)

# 6. An unacknowledged SYN-ACK is sent again after the initial RTO, 1 s (RFC 6298 2.1).
peer = Peer(41006)
peer.send(peer.segment("S", ISN, options=[("MSS", 1460)]))
first = peer.wait(lambda p: p[TCP].flags == "SA", 2)
t0 = time.time()
again = peer.wait(lambda p: p[TCP].flags == "SA", 2) if first is not None else None
gap = time.time() - t0
print("syn-ack retransmission:", "none" if again is None else
      "after about 1 s" if 0.7 <= gap <= 1.6 else "after %.2f s" % gap)
peer.close(ISN + 1)

# 7. The peer closes its window to zero while the target has data to send: the target probes
#    the window (RFC 9293 3.8.6.1) after an RTO. Linux probes with SND.UNA - 1 and no data, jpair
#    with one new byte; either is a probe.
peer = Peer(41007)
c = peer.connect()
if c is None:
    print("zero window: no connection")
else:
    ours, theirs = c
    peer.send(peer.segment("PA", ours, theirs, window=0, data=b"z" * 10))
    probe = peer.wait(lambda p: (payload(p) == 0 and p[TCP].seq == theirs - 1)
                      or (payload(p) == 1 and p[TCP].seq == theirs), 4)
    print("zero window:", "probed" if probe is not None else "no probe")
    peer.close(ours + 10)

# 8. A SYN in two IP fragments is reassembled and answered.
peer = Peer(41008)
syn = peer.segment("S", ISN, options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (100, 0)), ("WScale", 7)])
syn[IP].id = 0x5108
pieces = fragment(syn, fragsize=24)
peer.send(*pieces)
sa = peer.wait(lambda p: p[TCP].flags == "SA", 2)
print("fragmented syn:", "%d fragments, " % len(pieces) + ("syn-ack" if sa is not None and sa[TCP].ack == ISN + 1
                                                            else "no syn-ack"))
peer.close(ISN + 1)

# 9. The peer's MSS bounds the data of every segment the target sends it (RFC 9293 3.7.1).
peer = Peer(41009)
c = peer.connect(options=[("MSS", 536)])
if c is None:
    print("peer mss 536: no connection")
else:
    ours, theirs = c
    peer.send(peer.segment("PA", ours, theirs, data=b"m" * 1400))
    sizes = []
    while sum(sizes) < 1400:
        p = peer.wait(lambda p: payload(p) > 0, 2)
        if p is None:
            break
        sizes.append(payload(p))
        peer.send(peer.segment("A", ours + 1400, p[TCP].seq + payload(p)))
    print("peer mss 536:", "echo in segments of at most 536" if sum(sizes) >= 1400 and max(sizes) <= 536
          else "segments " + str(sizes))
    peer.close(ours + 1400)

# 10. "Fragmentation needed" (MTU 1000) quoting a segment in flight: the target resends what is
#     unacknowledged in segments that fit 1000 bytes (RFC 1191, RFC 5927 5.2).
peer = Peer(41010)
c = peer.connect()
if c is None:
    print("fragmentation needed 1000: no connection")
else:
    ours, theirs = c
    peer.send(peer.segment("PA", ours, theirs, data=b"p" * 1400))
    big = peer.wait(lambda p: payload(p) > 0, 2)
    if big is None:
        print("fragmentation needed 1000: no echo")
    else:
        quote = bytes(big[IP])[:28]
        send(IP(src=me, dst=target) / ICMP(type=3, code=4, nexthopmtu=1000) / Raw(quote))
        t0 = time.time()
        got = 0
        sizes = []
        while got < 1400:
            p = peer.wait(lambda p: payload(p) > 0, 2)
            if p is None:
                break
            sizes.append(p[IP].len)
            got = max(got, p[TCP].seq + payload(p) - theirs)
        print("fragmentation needed 1000:", "resent in segments of at most 1000" if got >= 1400 and sizes
              and max(sizes) <= 1000 else "sizes %s, %d bytes after %.2f s" % (sizes, got, time.time() - t0))
        peer.send(peer.segment("A", ours + 1400, theirs + 1400))
    peer.close(ours + 1400)
