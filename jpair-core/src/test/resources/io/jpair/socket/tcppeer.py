"""Kernel TCP peers for TcpSocketKernelTest (plain CPython sockets, bounded in time).

  echo-server HOST             listen on HOST:0, print the port, echo one connection until EOF
  send-receive HOST PORT IN OUT   connect, send IN's bytes (then shut down writing), store what comes back in OUT
  slow-reader HOST PORT        connect, read slowly until EOF, print "<bytes> <sha256>"
  expect-reset HOST PORT       connect, read until EOF or error, print "EOF" or the errno name
"""
import errno
import hashlib
import socket
import sys
import threading
import time


def family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def echo_server(host):
    s = socket.socket(family(host), socket.SOCK_STREAM)
    s.bind((host, 0))
    s.listen(1)
    s.settimeout(20)
    print(s.getsockname()[1], flush=True)
    c, _ = s.accept()
    c.settimeout(20)
    while True:
        data = c.recv(65536)
        if not data:
            break
        c.sendall(data)
    c.close()


def send_receive(host, port, infile, outfile):
    payload = open(infile, "rb").read()
    c = socket.create_connection((host, int(port)), timeout=20)

    def send():
        c.sendall(payload)
        c.shutdown(socket.SHUT_WR)

    t = threading.Thread(target=send)
    t.start()
    chunks = []
    while True:
        data = c.recv(65536)
        if not data:
            break
        chunks.append(data)
    t.join()
    open(outfile, "wb").write(b"".join(chunks))


def slow_reader(host, port):
    c = socket.socket(family(host), socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)  # before connect: caps the window
    c.settimeout(20)
    c.connect((host, int(port)))
    h = hashlib.sha256()
    n = 0
    deadline = time.time() + 20
    while time.time() < deadline:
        data = c.recv(65536)
        if not data:
            break
        h.update(data)
        n += len(data)
        time.sleep(0.002)
    print(n, h.hexdigest(), flush=True)


def expect_reset(host, port):
    try:
        # The reset may come before connect() has read SO_ERROR: then connect reports it.
        c = socket.create_connection((host, int(port)), timeout=20)
        while c.recv(65536):
            pass
        print("EOF", flush=True)
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e.errno)), flush=True)


if __name__ == "__main__":
    {"echo-server": echo_server, "send-receive": send_receive, "slow-reader": slow_reader,
     "expect-reset": expect_reset}[sys.argv[1]](*sys.argv[2:])
