/*
 * udprecv.c - the C baseline of the UDP receive benchmark (bench/udp/run-rx.sh): one recv() per
 * datagram, in a poll() loop, the way a plain C UDP server reads.
 *
 *   udprecv COUNT ROUNDS WARMUP [SIZE] [recv|recvmmsg]
 *
 * Per round: a sender socket in this process fills the receiver's queue with COUNT datagrams of
 * SIZE bytes (default 64) by sendmmsg over loopback (127.0.0.1), then the drain is timed: poll()
 * for readability, recv() until EAGAIN, repeat until COUNT arrived (or 200 ms without any: a
 * drop, reported). The jpair counterpart, io.jpair.bench.UdpDrain, does exactly the same with a
 * UdpPort (recvmmsg batches) on an EpollReactor. Mode recvmmsg (impl=c_mmsg) reads 64 datagrams per
 * recvmmsg with their source addresses instead, to show how much of the cost is the kernel's per
 * datagram work rather than the system calls. Prints one RESULT line per measured round.
 * Build: gcc -O2 -o udprecv udprecv.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: udprecv COUNT ROUNDS WARMUP [SIZE]\n");
        return 2;
    }
    long count = atol(argv[1]);
    int rounds = atoi(argv[2]);
    int warmup = atoi(argv[3]);
    int size = argc > 4 ? atoi(argv[4]) : 64;
    int mmsg = argc > 5 && strcmp(argv[5], "recvmmsg") == 0;

    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (rx < 0) die("socket");
    int rcvbuf = 256 << 20;
    if (setsockopt(rx, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(rx, (struct sockaddr *) &addr, sizeof addr) < 0) die("bind");
    socklen_t len = sizeof addr;
    getsockname(rx, (struct sockaddr *) &addr, &len);

    int tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (tx < 0) die("socket");
    if (connect(tx, (struct sockaddr *) &addr, sizeof addr) < 0) die("connect");

    char payload[65536];
    memset(payload, 0x5a, sizeof payload);
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < BATCH; i++) {
        iov[i].iov_base = payload;
        iov[i].iov_len = size;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    static char buffer[65536];
    static char slots[BATCH][2048];
    struct iovec rxiov[BATCH];
    struct mmsghdr rxmsgs[BATCH];
    struct sockaddr_in6 names[BATCH];
    for (int i = 0; i < BATCH; i++) {
        rxiov[i].iov_base = slots[i];
        rxiov[i].iov_len = sizeof slots[i];
    }
    struct pollfd pfd = {.fd = rx, .events = POLLIN};

    for (int r = 0; r < warmup + rounds; r++) {
        for (long sent = 0; sent < count;) {
            int n = count - sent < BATCH ? (int) (count - sent) : BATCH;
            int k = sendmmsg(tx, msgs, n, 0);
            if (k < 0) die("sendmmsg");
            sent += k;
        }
        long received = 0, wakeups = 0;
        long long start = now_ns();
        while (received < count) {
            int ready = poll(&pfd, 1, 200);
            if (ready < 0) die("poll");
            if (ready == 0) break;
            wakeups++;
            while (mmsg) {
                memset(rxmsgs, 0, sizeof rxmsgs);
                for (int i = 0; i < BATCH; i++) {
                    rxmsgs[i].msg_hdr.msg_iov = &rxiov[i];
                    rxmsgs[i].msg_hdr.msg_iovlen = 1;
                    rxmsgs[i].msg_hdr.msg_name = &names[i];
                    rxmsgs[i].msg_hdr.msg_namelen = sizeof names[i];
                }
                int got = recvmmsg(rx, rxmsgs, BATCH, 0, NULL);
                if (got < 0) {
                    if (errno == EAGAIN || errno == EINTR) break;
                    die("recvmmsg");
                }
                received += got;
            }
            while (!mmsg) {
                ssize_t got = recv(rx, buffer, sizeof buffer, 0);
                if (got < 0) {
                    if (errno == EAGAIN || errno == EINTR) break;
                    die("recv");
                }
                received++;
            }
        }
        long long elapsed = now_ns() - start;
        if (r >= warmup)
            printf("RESULT impl=%s round=%d datagrams=%ld size=%d ns_per_dgram=%.1f mpps=%.3f wakeups=%ld dropped=%ld\n",
                   mmsg ? "c_mmsg" : "c", r - warmup + 1, received, size, (double) elapsed / (received ? received : 1),
                   received * 1e3 / (elapsed ? elapsed : 1), wakeups, count - received);
        fflush(stdout);
    }
    return 0;
}
