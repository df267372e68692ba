package io.jpair.tcp;

import java.time.Duration;

/**
 * How a host's TCP behaves: buffer sizes, Nagle's default, keep-alive, the listen backlog, the
 * link MTU that bounds the MSS, and the timers. Immutable; each {@code with...} returns a copy.
 *
 * <pre>{@code
 * IpHost.onTun().tcpOptions(TcpOptions.defaults().withNoDelay(true).withReceiveBuffer(4 << 20));
 * }</pre>
 *
 * <p>Defaults follow Linux where it has one: 2 h / 75 s / 9 keep-alive, 60 s TIME-WAIT
 * ({@code TCP_TIMEWAIT_LEN}), 15 retransmissions ({@code tcp_retries2}), 6 SYN retries
 * ({@code tcp_syn_retries}), a 40 ms delayed ACK ({@code TCP_DELACK_MIN}).
 *
 * @param sendBuffer bytes a connection buffers before its producer is paused, at least: like Linux's
 *     send buffer auto-tuning, the limit grows to twice the bytes the windows let fly (at most 4 MiB,
 *     Linux's {@code tcp_wmem} maximum), so a path with a large bandwidth-delay product never idles
 * @param receiveBuffer bytes a connection holds for its protocol: the largest receive window
 * @param noDelay whether Nagle's algorithm starts off ({@code TCP_NODELAY})
 * @param keepAlive whether connections send keep-alive probes (off by default, RFC 9293 3.8.4)
 * @param keepAliveIdle idle time before the first probe
 * @param keepAliveInterval time between probes
 * @param keepAliveProbes unanswered probes before the connection is dropped
 * @param backlog half-open connections per listener before SYN cookies take over
 * @param synCookies whether a full backlog answers with SYN cookies (else new SYNs are dropped)
 * @param mtu the link MTU: the MSS we announce and use is at most MTU - IP header - 20
 * @param timeWait how long TIME-WAIT lasts (2 MSL)
 * @param synRetries SYN retransmissions before a connect fails
 * @param retries retransmissions of data before a connection is dropped
 * @param delayedAck the longest an ACK is delayed
 * @param congestionControl the congestion control algorithm (CUBIC by default, as Linux)
 */
public record TcpOptions(int sendBuffer, int receiveBuffer, boolean noDelay, boolean keepAlive,
        Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes, int backlog, boolean synCookies,
        int mtu, Duration timeWait, int synRetries, int retries, Duration delayedAck,
        CongestionAlgorithm congestionControl) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException for a buffer below 1 KiB or above 1 GiB, a backlog below 1,
     *     an MTU outside 576..65535, or a negative count
     */
    public TcpOptions {
        if (sendBuffer < 1024 || sendBuffer > (1 << 30) || receiveBuffer < 1024 || receiveBuffer > (1 << 30)) {
            throw new IllegalArgumentException("TCP buffers must be 1 KiB..1 GiB, not send " + sendBuffer
                + " receive " + receiveBuffer);
        }
        if (backlog < 1) {
            throw new IllegalArgumentException("TCP backlog must be at least 1, not " + backlog);
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("MTU must be 576..65535, not " + mtu);
        }
        java.util.Objects.requireNonNull(congestionControl, "congestionControl");
        if (keepAliveProbes < 1 || synRetries < 0 || retries < 1) {
            throw new IllegalArgumentException("TCP retry counts must be positive: keep-alive probes "
                + keepAliveProbes + ", SYN retries " + synRetries + ", retries " + retries);
        }
    }

    /**
     * The defaults: 256 KiB send and 1 MiB receive buffers, Nagle on, keep-alive off, backlog 128
     * with SYN cookies, MTU 1500, CUBIC.
     *
     * @return the defaults
     */
    public static TcpOptions defaults() {
        return new TcpOptions(256 * 1024, 1024 * 1024, false, false, Duration.ofHours(2), Duration.ofSeconds(75), 9,
            128, true, 1500, Duration.ofSeconds(60), 6, 15, Duration.ofMillis(40), CongestionAlgorithm.CUBIC);
    }

    /**
     * A copy with another send buffer limit.
     *
     * @param bytes the send buffer limit
     * @return a copy with it
     */
    public TcpOptions withSendBuffer(int bytes) {
        return new TcpOptions(bytes, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another receive buffer.
     *
     * @param bytes the receive buffer (largest window)
     * @return a copy with it
     */
    public TcpOptions withReceiveBuffer(int bytes) {
        return new TcpOptions(sendBuffer, bytes, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another Nagle default.
     *
     * @param value whether Nagle starts off
     * @return a copy with it
     */
    public TcpOptions withNoDelay(boolean value) {
        return new TcpOptions(sendBuffer, receiveBuffer, value, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another keep-alive setting (on).
     *
     * @param idle idle time before the first probe
     * @param interval time between probes
     * @param probes unanswered probes before the connection is dropped
     * @return a copy with keep-alive on
     */
    public TcpOptions withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, true, idle, interval, probes, backlog, synCookies,
            mtu, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another backlog.
     *
     * @param halfOpen half-open connections per listener
     * @param cookies whether SYN cookies answer beyond it
     * @return a copy with them
     */
    public TcpOptions withBacklog(int halfOpen, boolean cookies) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, halfOpen, cookies, mtu, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another link MTU.
     *
     * @param bytes the link MTU
     * @return a copy with it
     */
    public TcpOptions withMtu(int bytes) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, bytes, timeWait, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another TIME-WAIT length.
     *
     * @param duration the TIME-WAIT length
     * @return a copy with it
     */
    public TcpOptions withTimeWait(Duration duration) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, duration, synRetries, retries, delayedAck, congestionControl);
    }

    /**
     * A copy with another retry counts.
     *
     * @param syn SYN retransmissions before a connect fails
     * @param data retransmissions before a connection is dropped
     * @return a copy with them
     */
    public TcpOptions withRetries(int syn, int data) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, timeWait, syn, data, delayedAck, congestionControl);
    }

    /**
     * A copy with another congestion control algorithm.
     *
     * @param algorithm NewReno or CUBIC
     * @return a copy with it
     */
    public TcpOptions withCongestionControl(CongestionAlgorithm algorithm) {
        return new TcpOptions(sendBuffer, receiveBuffer, noDelay, keepAlive, keepAliveIdle, keepAliveInterval,
            keepAliveProbes, backlog, synCookies, mtu, timeWait, synRetries, retries, delayedAck, algorithm);
    }

    /** The MSS we announce over IPv4. */
    int mssIpv4() {
        return mtu - 20 - TcpHeader.MIN_LENGTH;
    }

    /** The MSS we announce over IPv6. */
    int mssIpv6() {
        return mtu - 40 - TcpHeader.MIN_LENGTH;
    }

    /** The window shift that lets the receive buffer be advertised whole. */
    int windowScale() {
        int shift = 0;
        while (shift < TcpHeader.MAX_WINDOW_SCALE && (receiveBuffer >>> shift) > 0xFFFF) {
            shift++;
        }
        return shift;
    }
}
