"""A bounded TCP transfer for TunnelKernelTest: 'serve ADDR PORT' receives one connection and prints
'received N sha256 HEX'; 'send ADDR PORT FILE' sends the file and prints 'sent N'."""
import hashlib
import socket
import sys

mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "serve":
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(60)
    c, _ = s.accept()
    c.settimeout(60)
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    print("received %d sha256 %s" % (n, h.hexdigest()), flush=True)
else:
    for attempt in range(50):   # the server may still be starting
        try:
            c = socket.create_connection((addr, port), timeout=60)
            break
        except OSError:
            if attempt == 49:
                raise
            import time
            time.sleep(0.1)
    with open(sys.argv[4], "rb") as f:
        n = c.sendfile(f)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    print("sent %d" % n, flush=True)
