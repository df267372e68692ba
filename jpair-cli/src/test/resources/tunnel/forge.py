"""The far end of a sealed jpair tunnel written independently, with the 'cryptography' package, for
TunnelKernelTest: it seals one ICMP echo request to jpair's tunnel address, expects the echo reply
back sealed (proving the format is plain RFC 8439 with the 12-byte header as nonce and AAD), then
sends the same datagram again (a replay) and a copy with one tag bit flipped (a forgery).

    forge.py KEY_HEX LOCAL_IP LOCAL_PORT PEER_IP PEER_PORT SRC_IP DST_IP
prints 'reply ok', then 'sent replay', 'sent forgery'."""
import os
import socket
import struct
import sys
import time
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

key, lip, lport, pip, pport, src, dst = bytes.fromhex(sys.argv[1]), sys.argv[2], int(sys.argv[3]), \
    sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7]
aead = ChaCha20Poly1305(key)
sender = os.urandom(4)
counter = time.time_ns()


def checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def echo_request(ident, seq):
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"jpair-forge" * 4
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0, socket.inet_aton(src),
                     socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + icmp


def seal(packet):
    global counter
    header = sender + struct.pack("!Q", counter)
    counter += 1
    return header + aead.encrypt(header, packet, header)


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((lip, lport))
s.settimeout(1)


def await_reply(deadline):
    """True once a sealed echo reply arrives; other datagrams (the kernel's own traffic) are skipped."""
    while time.monotonic() < deadline:
        try:
            reply, _ = s.recvfrom(65535)
        except socket.timeout:
            continue
        header = reply[:12]
        packet = aead.decrypt(header, reply[12:], header)
        if packet[0] >> 4 == 4 and packet[9] == 1 and packet[20] == 0:
            return True
    return False


for attempt in range(20):      # jpair may still be starting; each try is a new request, a fresh counter
    datagram = seal(echo_request(0x4a50, attempt + 1))
    s.sendto(datagram, (pip, pport))
    if await_reply(time.monotonic() + 1):
        print("reply ok", flush=True)
        break
else:
    print("no reply", flush=True)
    sys.exit(1)
time.sleep(0.3)
s.sendto(datagram, (pip, pport))
print("sent replay", flush=True)
forged = bytearray(seal(echo_request(0x4a50, 99)))
forged[-1] ^= 0x01
s.sendto(bytes(forged), (pip, pport))
print("sent forgery", flush=True)
time.sleep(0.5)
