package io.jpair.tcp;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012), the keyed pseudo-random function Linux uses for
 * its sequence numbers and SYN cookies ({@code secure_seq.c}, {@code syncookies.c}): a 64-bit
 * output from a 128-bit key, fast on short inputs, with no allocation. Chosen over the JDK's
 * {@code javax.crypto.Mac} (HMAC-SHA256), which costs a microsecond and garbage per call, for
 * inputs of a few words; it is checked against the published reference vectors.
 *
 * <p>Streaming: {@link #reset}, then {@link #addLong} (eight little-endian bytes) and
 * {@link #addByte} in any mix, then {@link #finish}. One instance per owner, reactor thread only.
 */
final class SipHash {
    private long v0;
    private long v1;
    private long v2;
    private long v3;
    private long tail;
    private int length;

    /**
     * Starts a new message.
     *
     * @param k0 the key's first eight bytes, little-endian
     * @param k1 the key's last eight bytes, little-endian
     * @return this
     */
    SipHash reset(long k0, long k1) {
        v0 = k0 ^ 0x736f6d6570736575L;
        v1 = k1 ^ 0x646f72616e646f6dL;
        v2 = k0 ^ 0x6c7967656e657261L;
        v3 = k1 ^ 0x7465646279746573L;
        tail = 0;
        length = 0;
        return this;
    }

    /**
     * Appends one byte.
     *
     * @param b the byte (low eight bits)
     * @return this
     */
    SipHash addByte(int b) {
        tail |= (b & 0xFFL) << ((length & 7) << 3);
        length++;
        if ((length & 7) == 0) {
            compress(tail);
            tail = 0;
        }
        return this;
    }

    /**
     * Appends eight bytes, least significant first.
     *
     * @param word the bytes
     * @return this
     */
    SipHash addLong(long word) {
        if ((length & 7) == 0) {
            length += 8;
            compress(word);
            return this;
        }
        for (int i = 0; i < 8; i++) {
            addByte((int) (word >>> (i << 3)));
        }
        return this;
    }

    /**
     * Appends an IPv4 4-tuple as two words: the addresses, then the ports.
     *
     * @param localAddress the local IPv4 address
     * @param localPort the local port
     * @param remoteAddress the remote IPv4 address
     * @param remotePort the remote port
     * @return this
     */
    SipHash addV4(int localAddress, int localPort, int remoteAddress, int remotePort) {
        addLong(((long) localAddress << 32) | (remoteAddress & 0xFFFFFFFFL));
        return addLong(((long) (localPort & 0xFFFF) << 16) | (remotePort & 0xFFFF));
    }

    /**
     * Appends an IPv6 4-tuple as five words: the local address, the remote address, the ports.
     *
     * @param localHigh the local address's first eight bytes
     * @param localLow its last eight bytes
     * @param localPort the local port
     * @param remoteHigh the remote address's first eight bytes
     * @param remoteLow its last eight bytes
     * @param remotePort the remote port
     * @return this
     */
    SipHash addV6(long localHigh, long localLow, int localPort, long remoteHigh, long remoteLow, int remotePort) {
        addLong(localHigh);
        addLong(localLow);
        addLong(remoteHigh);
        addLong(remoteLow);
        return addLong(((long) (localPort & 0xFFFF) << 16) | (remotePort & 0xFFFF) | (6L << 32));
    }

    /**
     * Ends the message.
     *
     * @return the 64-bit hash
     */
    long finish() {
        long last = tail | ((long) length << 56);
        compress(last);
        v2 ^= 0xFF;
        round();
        round();
        round();
        round();
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private void compress(long m) {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }

    private void round() {
        v0 += v1;
        v1 = Long.rotateLeft(v1, 13);
        v1 ^= v0;
        v0 = Long.rotateLeft(v0, 32);
        v2 += v3;
        v3 = Long.rotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = Long.rotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = Long.rotateLeft(v1, 17);
        v1 ^= v2;
        v2 = Long.rotateLeft(v2, 32);
    }
}
