package io.jpair.tcp;

import static io.jpair.tcp.SequenceNumbers.ge;
import static io.jpair.tcp.SequenceNumbers.gt;
import static io.jpair.tcp.SequenceNumbers.le;
import static io.jpair.tcp.SequenceNumbers.lt;

import io.jpair.ip.IPProtocol;
import io.jpair.ip.IpLink;
import io.jpair.ip.Ipv4Header;
import io.jpair.ip.Ipv6Header;
import io.jpair.reactor.ConnectionDone;
import io.jpair.stream.ConnectionAborted;
import io.jpair.stream.ConnectionLost;
import io.jpair.stream.Protocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.stream.StreamTransport;
import io.jpair.transport.Producer;
import io.jpair.transport.PullProducer;
import io.jpair.transport.PushProducer;
import io.jpair.wire.InternetChecksum;
import io.jpair.wire.NetworkOrder;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One TCP connection (a transmission control block, RFC 9293 section 3.3.1) and the
 * {@link StreamTransport} its {@link Protocol} writes through.
 *
 * <p>Receiving: each segment is processed in place in the order of RFC 9293 section 3.10.7.4
 * (PAWS and sequence check, RST with RFC 5961's challenge ACK, SYN challenge, ACK acceptability
 * including RFC 5961 section 5, window update, data, FIN). In-order data goes to
 * {@link Protocol#dataReceived} straight from the packet when nothing is held; out-of-order data
 * and data that arrives while reading is paused are held in a {@link ReceiveBuffer}. The ACK for a
 * read batch goes out once, at its end (or up to {@link TcpOptions#delayedAck()} later for a
 * single segment), carrying SACK blocks and timestamps when negotiated.
 *
 * <p>Sending: written bytes go to a {@link SendBuffer}; segments are built in place in the
 * protocol's one output buffer, limited by the peer's window and the congestion window, with
 * Nagle's algorithm unless {@link #setTcpNoDelay(boolean) TCP_NODELAY}, sender-side silly window
 * avoidance, RTO with exponential back-off (RFC 6298), fast retransmit and NewReno recovery on
 * three duplicate ACKs (RFC 5681, RFC 6582), SACK-guided retransmission, and zero-window probes
 * carrying one byte of new data (RFC 9293 section 3.8.6.1).
 *
 * <p>Unlike Twisted: {@link #pauseProducing()} really closes the receive window (the peer stops
 * sending), and {@link #abortConnection()} sends a RST.
 *
 * <p>Reactor thread only. Allocation-free per segment.
 */
public final class TcpConnection implements StreamTransport {
    private static final long MILLI = 1_000_000L;
    private static final int DUP_THRESHOLD = SackScoreboard.DUP_THRESH;

    final TcpProtocol tcp;
    final boolean ipv6;
    final int localIpv4;
    final int remoteIpv4;
    final long localHigh;
    final long localLow;
    final long remoteHigh;
    final long remoteLow;
    final int localPort;
    final int remotePort;
    /** Next in the protocol's hash chain. */
    TcpConnection next;
    /** Whether the protocol has it in this read batch's list. */
    boolean inBatch;

    private final TcpOptions options;
    private TcpState state = TcpState.CLOSED;
    private Protocol protocol;
    private ProtocolFactory<?> factory;
    private CompletableFuture<Protocol> connecting;
    private TcpListener listener;

    // send sequence space
    private int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private int sndWnd;
    private int sndWl1;
    private int sndWl2;
    private int maxSndWnd;
    private int sndShift;
    private int sendMss;
    private SendBuffer sendBuffer;
    private boolean finQueued;
    private boolean finSent;
    private int finSeq;

    // receive sequence space
    private int irs;
    private int rcvNxt;
    private int rcvShift;
    private int advertisedRight;
    private int receiveMss;
    private ReceiveBuffer receiveBuffer;
    private boolean finReceived;
    private boolean readClosedReported;
    private boolean readPaused;
    private int oooFinSeq;
    private boolean oooFin;

    // options
    private boolean timestamps;
    private boolean sack;
    private int tsRecent;
    private int lastAckSent;
    private final int tsOffset;

    // ACK state
    private int unackedBytes;
    private boolean ackNow;
    private int challengeAcks;
    private long challengeSecond;

    // RTT and retransmission (RFC 6298)
    /** The most {@link #sendLimit()} grows to by itself: Linux's default {@code tcp_wmem} maximum. */
    static final int SEND_AUTO_MAX = 4 << 20;

    /** In-order bytes after which an ACK goes out at once, even in the middle of a read batch. */
    static final int BATCH_ACK_BYTES = 64 * 1024;

    private final RttEstimator rtt = new RttEstimator();
    /** Whether our SYN or SYN-ACK was retransmitted on a timeout. */
    private boolean handshakeTimedOut;
    /** RFC 6298 section 5.7: the RTO data starts with when the SYN or SYN-ACK timed out. */
    private static final long HANDSHAKE_TIMEOUT_RTO_NANOS = 3_000_000_000L;
    private int retries;
    private boolean rttTiming;
    private int rttSeq;
    private long rttStart;

    // congestion control (RFC 5681, RFC 6582, RFC 9438)
    private CongestionControl congestion;
    private int dupAcks;
    private boolean cwndLimited;
    private final SackScoreboard scoreboard = new SackScoreboard();
    private final SackBlocks sackBlocks = new SackBlocks();

    // write side flow control
    private Producer producer;
    private boolean streamingProducer;
    private boolean producerPaused;
    private boolean noDelay;

    private int keepAliveProbes;

    private final TcpTimer retransmitTimer;
    private final TcpTimer delayedAckTimer;
    private final TcpTimer keepAliveTimer;

    TcpConnection(TcpProtocol tcp, boolean ipv6, int localIpv4, long localHigh, long localLow, int localPort,
            int remoteIpv4, long remoteHigh, long remoteLow, int remotePort) {
        this.tcp = tcp;
        this.ipv6 = ipv6;
        this.localIpv4 = localIpv4;
        this.localHigh = localHigh;
        this.localLow = localLow;
        this.localPort = localPort;
        this.remoteIpv4 = remoteIpv4;
        this.remoteHigh = remoteHigh;
        this.remoteLow = remoteLow;
        this.remotePort = remotePort;
        this.options = tcp.options();
        this.noDelay = options.noDelay();
        this.tsOffset = tcp.timestampOffset(this);
        this.receiveMss = ipv6 ? options.mssIpv6() : options.mssIpv4();
        this.sendMss = ipv6 ? TcpHeader.DEFAULT_MSS_IPV6 : TcpHeader.DEFAULT_MSS_IPV4;
        this.retransmitTimer = new TcpTimer(tcp.clock(), this::retransmitTimeout);
        this.delayedAckTimer = new TcpTimer(tcp.clock(), this::delayedAckTimeout);
        this.keepAliveTimer = new TcpTimer(tcp.clock(), this::keepAliveTimeout);
    }

    // ---------------------------------------------------------------- opening

    @SuppressWarnings("unchecked")
    void openActive(ProtocolFactory<?> protocolFactory, CompletableFuture<? extends Protocol> future) {
        this.factory = protocolFactory;
        this.connecting = (CompletableFuture<Protocol>) future;
        iss = tcp.initialSequence(this);
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sendBuffer = new SendBuffer(iss + 1);
        state = TcpState.SYN_SENT;
        sendSyn(false);
        retransmitTimer.arm(rtt.rtoNanos());
    }

    void openPassive(TcpListener from, TcpHeader syn, int issChosen) {
        this.listener = from;
        this.factory = from.factory();
        iss = issChosen;
        sndUna = iss;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sendBuffer = new SendBuffer(iss + 1);
        acceptSynOptions(syn);
        state = TcpState.SYN_RECEIVED;
        sendSyn(true);
        retransmitTimer.arm(rtt.rtoNanos());
    }

    /**
     * Opens straight into ESTABLISHED from a valid SYN cookie (RFC 4987 section 3.6): the
     * handshake's state came back in the ACK.
     */
    void openFromCookie(TcpListener from, TcpHeader ack, int cookieIss, int peerIss, int mss) {
        this.factory = from.factory();
        from.cookieAccepted();
        iss = cookieIss;
        sndUna = iss + 1;
        sndNxt = iss + 1;
        sndMax = sndNxt;
        sendBuffer = new SendBuffer(iss + 1);
        irs = peerIss;
        rcvNxt = irs + 1;
        receiveBuffer = new ReceiveBuffer(options.receiveBuffer(), rcvNxt);
        sendMss = Math.min(mss, receiveMss);
        sndShift = 0;
        rcvShift = 0;
        congestion = options.congestionControl().create(sendMss);
        sndWnd = ack.window();
        maxSndWnd = sndWnd;
        sndWl1 = ack.sequence();
        sndWl2 = ack.acknowledgment();
        established();
    }

    private void acceptSynOptions(TcpHeader syn) {
        irs = syn.sequence();
        rcvNxt = irs + 1;
        receiveBuffer = new ReceiveBuffer(options.receiveBuffer(), rcvNxt);
        int peerMss = syn.mss() > 0 ? syn.mss() : (ipv6 ? TcpHeader.DEFAULT_MSS_IPV6 : TcpHeader.DEFAULT_MSS_IPV4);
        sendMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, receiveMss));
        if (syn.windowScale() >= 0) {
            sndShift = syn.windowScale();
            rcvShift = options.windowScale();
        } else {
            sndShift = 0;
            rcvShift = 0;
        }
        sack = syn.sackPermitted();
        if (syn.hasTimestamp()) {
            timestamps = true;
            tsRecent = syn.timestampValue();
        }
        sndWnd = syn.window();
        maxSndWnd = sndWnd;
        sndWl1 = syn.sequence();
        sndWl2 = syn.acknowledgment();
        congestion = options.congestionControl().create(sendMss);
    }

    private void established() {
        state = TcpState.ESTABLISHED;
        retries = 0;
        if (handshakeTimedOut) {
            rtt.restart(HANDSHAKE_TIMEOUT_RTO_NANOS);  // RFC 6298 section 5.7
        }
        retransmitTimer.disarm();
        if (listener != null) {
            listener.halfOpenEstablished();
            listener = null;
        }
        InetSocketAddress peer = getPeer();
        Protocol built;
        try {
            built = factory.buildProtocol(peer);
        } catch (RuntimeException e) {
            tcp.protocolFailed(factory, e);
            built = null;
        }
        if (built == null) {
            if (connecting != null) {
                connecting.completeExceptionally(new ConnectException("the protocol factory refused the connection to "
                    + peer));
                connecting = null;
            }
            reset();
            release(null);
            return;
        }
        protocol = built;
        if (options.keepAlive()) {
            keepAliveTimer.arm(options.keepAliveIdle().toNanos());
        }
        try {
            protocol.makeConnection(this);
        } catch (RuntimeException e) {
            tcp.protocolFailed(protocol, e);
        }
        if (connecting != null) {
            CompletableFuture<Protocol> future = connecting;
            connecting = null;
            future.complete(protocol);
        }
        output();
    }

    // ---------------------------------------------------------------- receiving

    /**
     * One segment for this connection, options parsed. Data is {@code buffer[data, data + length)}.
     */
    void segmentArrived(TcpHeader h, ByteBuffer buffer, int data, int length) {
        switch (state) {
            case SYN_SENT -> synSentSegment(h);
            case CLOSED, LISTEN -> {
            }
            default -> synchronizedSegment(h, buffer, data, length);
        }
    }

    private void synSentSegment(TcpHeader h) {
        int flags = h.flags();
        boolean hasAck = (flags & TcpHeader.ACK) != 0;
        int ack = h.acknowledgment();
        if (hasAck && (le(ack, iss) || gt(ack, sndMax))) {
            if ((flags & TcpHeader.RST) == 0) {
                tcp.sendReset(this, ack, 0, false);
            }
            tcp.drop(TcpDrop.UNACCEPTABLE_ACK);
            return;
        }
        if ((flags & TcpHeader.RST) != 0) {
            if (hasAck) {
                fail(new ConnectException("connection refused by " + getPeer()));
            } else {
                tcp.drop(TcpDrop.LISTENER_REFUSED);
            }
            return;
        }
        if ((flags & TcpHeader.SYN) == 0) {
            tcp.drop(TcpDrop.BAD_SEGMENT);
            return;
        }
        acceptSynOptions(h);
        if (hasAck) {
            sndUna = ack;
            takeRttSample(h, tcp.clock().nanoTime());
            sndWnd = h.window() << sndShift;
            maxSndWnd = sndWnd;
            ackNow = true;
            established();
            if (state != TcpState.CLOSED) {
                tcp.inBatch(this);
            }
        } else {
            // simultaneous open (RFC 9293 section 3.5, figure 7)
            state = TcpState.SYN_RECEIVED;
            sendSyn(true);
            retransmitTimer.arm(rtt.rtoNanos());
        }
    }

    private void synchronizedSegment(TcpHeader h, ByteBuffer buffer, int data, int length) {
        int flags = h.flags();
        int seq = h.sequence();
        boolean rst = (flags & TcpHeader.RST) != 0;
        if (state == TcpState.SYN_RECEIVED && (flags & (TcpHeader.SYN | TcpHeader.ACK)) == TcpHeader.SYN
                && seq == irs) {
            sendSyn(true);  // our SYN-ACK was lost: the peer sent its SYN again
            return;
        }
        // RFC 7323 section 5.3: PAWS
        if (timestamps && !rst) {
            if (!h.hasTimestamp()) {
                tcp.drop(TcpDrop.PAWS);
                return;
            }
            if (lt(h.timestampValue(), tsRecent) && state != TcpState.SYN_RECEIVED) {
                tcp.drop(TcpDrop.PAWS);
                ackNow();
                return;
            }
        }
        int segLen = length + ((flags & TcpHeader.SYN) != 0 ? 1 : 0) + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        int window = receiveBuffer.rightEdge() - rcvNxt;
        if (!acceptable(seq, segLen, window)) {
            tcp.drop(TcpDrop.OUT_OF_WINDOW);
            if (!rst) {
                ackNow();
            }
            return;
        }
        if (rst) {
            if (seq == rcvNxt) {
                resetByPeer();
            } else {
                tcp.drop(TcpDrop.CHALLENGED);
                challengeAck();
            }
            return;
        }
        if ((flags & TcpHeader.SYN) != 0) {
            tcp.drop(TcpDrop.CHALLENGED);
            challengeAck();  // RFC 5961 section 4
            return;
        }
        if ((flags & TcpHeader.ACK) == 0) {
            tcp.drop(TcpDrop.BAD_SEGMENT);
            return;
        }
        if (options.keepAlive()) {
            keepAliveProbes = 0;
            keepAliveTimer.arm(options.keepAliveIdle().toNanos());
        }
        int ack = h.acknowledgment();
        if (state == TcpState.SYN_RECEIVED) {
            if (gt(ack, sndUna) && le(ack, sndMax)) {
                sndUna = ack;
                takeRttSample(h, tcp.clock().nanoTime());
                sndWnd = h.window() << sndShift;
                maxSndWnd = Math.max(maxSndWnd, sndWnd);
                sndWl1 = seq;
                sndWl2 = ack;
                established();
                if (state == TcpState.CLOSED) {
                    return;
                }
            } else {
                tcp.sendReset(this, ack, 0, false);
                tcp.drop(TcpDrop.UNACCEPTABLE_ACK);
                return;
            }
        }
        if (!processAck(h, seq, ack, length)) {
            return;
        }
        if (state == TcpState.CLOSED) {
            return;
        }
        // RFC 7323 section 4.3: TS.Recent
        if (timestamps && le(seq, lastAckSent) && ge(h.timestampValue(), tsRecent)) {
            tsRecent = h.timestampValue();
        }
        if (length > 0) {
            receiveData(buffer, data, seq, length);
            if (state == TcpState.CLOSED) {
                return;
            }
        }
        if ((flags & TcpHeader.FIN) != 0) {
            int fin = seq + length;
            if (fin == rcvNxt) {
                finArrived();
            } else if (gt(fin, rcvNxt)) {
                oooFin = true;
                oooFinSeq = fin;
                ackNow = true;
            }
        }
        tcp.inBatch(this);
    }

    /** RFC 9293 section 3.10.7.4, first check. */
    private boolean acceptable(int seq, int segLen, int window) {
        if (segLen == 0) {
            return window == 0 ? seq == rcvNxt : SequenceNumbers.inRange(seq, rcvNxt, rcvNxt + window);
        }
        if (window == 0) {
            return false;
        }
        return SequenceNumbers.inRange(seq, rcvNxt, rcvNxt + window)
            || SequenceNumbers.inRange(seq + segLen - 1, rcvNxt, rcvNxt + window);
    }

    /** Step five; false when the segment is to be dropped. */
    private boolean processAck(TcpHeader h, int seq, int ack, int length) {
        if (gt(ack, sndMax) || lt(ack, sndUna - Math.max(maxSndWnd, 1))) {
            tcp.drop(TcpDrop.UNACCEPTABLE_ACK);
            ackNow();  // RFC 5961 section 5.2
            return false;
        }
        long now = tcp.clock().nanoTime();
        int window = h.window() << sndShift;
        if (sack && h.sackCount() > 0) {
            for (int i = 0; i < h.sackCount(); i++) {
                scoreboard.update(sndUna, sndMax, h.sackLeft(i), h.sackRight(i));
            }
        }
        if (gt(ack, sndUna)) {
            int acked = ack - sndUna;
            takeRttSample(h, now);
            int dataAcked = acked;
            if (finSent && gt(ack, finSeq)) {
                dataAcked--;
            }
            sendBuffer.release(dataAcked);
            sndUna = ack;
            if (lt(sndNxt, sndUna)) {
                sndNxt = sndUna;
            }
            scoreboard.acknowledge(ack);
            retries = 0;
            if (congestion.inRecovery()) {
                if (ge(ack, congestion.recoveryPoint())) {
                    congestion.exitRecovery(sndMax - sndUna);
                    dupAcks = 0;
                } else {
                    // RFC 6582 section 3.2 step 5: partial ACK
                    congestion.onPartialAck(acked);
                    retransmitFirst(false);
                }
            } else {
                dupAcks = 0;
                if (cwndLimited) {
                    congestion.onAck(acked, now, rtt.srttNanos());
                }
            }
            if (sndUna == sndMax) {
                retransmitTimer.disarm();
            } else {
                retransmitTimer.arm(rtt.rtoNanos());
            }
            writeSpaceFreed();
            if (finSent && gt(ack, finSeq)) {
                ourFinAcked();
                if (state == TcpState.CLOSED) {
                    return false;
                }
            }
        } else if (ack == sndUna && length == 0 && window == sndWnd && sndUna != sndMax
                && (h.flags() & TcpHeader.FIN) == 0) {
            duplicateAck();
        }
        // window update
        if (lt(sndWl1, seq) || (sndWl1 == seq && le(sndWl2, ack))) {
            boolean opened = sndWnd == 0 && window > 0;
            sndWnd = window;
            maxSndWnd = Math.max(maxSndWnd, window);
            sndWl1 = seq;
            sndWl2 = ack;
            if (opened) {
                retries = 0;
            }
        }
        if (sndWnd == 0 && ack == sndUna) {
            retries = 0;  // the peer answers our probes: a zero window may last (RFC 9293 3.8.6.1)
        }
        return true;
    }

    private void duplicateAck() {
        dupAcks++;
        if (congestion.inRecovery()) {
            congestion.onDuplicateAck();  // RFC 5681 section 3.2 step 4
            if (sack) {
                retransmitNextHole();
            }
            return;
        }
        if (dupAcks == DUP_THRESHOLD && (!recoveredOnce || gt(sndUna, congestion.recoveryPoint()))) {
            recoveredOnce = true;  // RFC 6582 section 3.2 step 2: once per window
            congestion.enterRecovery(sndMax - sndUna, sndMax, sack, tcp.clock().nanoTime());
            tcp.fastRetransmits++;
            retransmitFirst(false);
        }
    }

    private boolean recoveredOnce;

    private void takeRttSample(TcpHeader h, long now) {
        long sample = -1;
        if (timestamps && h.hasTimestamp() && h.timestampEcho() != 0) {
            sample = (long) (tsNow() - h.timestampEcho()) * MILLI;
        } else if (rttTiming && gt(h.acknowledgment(), rttSeq)) {
            sample = now - rttStart;
        }
        if (gt(h.acknowledgment(), rttSeq)) {
            rttTiming = false;
        }
        if (sample >= 0) {
            rtt.sample(sample);
        }
    }

    private void receiveData(ByteBuffer buffer, int data, int seq, int length) {
        if (state != TcpState.ESTABLISHED && state != TcpState.FIN_WAIT_1 && state != TcpState.FIN_WAIT_2) {
            return;  // after a FIN: ignored (RFC 9293 section 3.10.7.4, seventh step)
        }
        // trim to what was not received yet and what fits
        if (lt(seq, rcvNxt)) {
            int skip = rcvNxt - seq;
            data += skip;
            length -= skip;
            seq = rcvNxt;
        }
        int right = receiveBuffer.rightEdge();
        if (gt(seq + length, right)) {
            length = right - seq;
        }
        if (length <= 0) {
            ackNow = true;
            return;
        }
        if (seq != rcvNxt) {
            if (!receiveBuffer.addRange(seq, seq + length)) {
                tcp.drop(TcpDrop.OUT_OF_ORDER_OVERFLOW);
            } else {
                receiveBuffer.write(seq, buffer, data, length);
                sackBlocks.segmentReceived(seq, seq + length);
            }
            sendAck();  // RFC 5681 section 4.2: an immediate duplicate ACK for each one
            return;
        }
        boolean filledHole = receiveBuffer.rangeCount() > 0;
        unackedBytes += length;
        if (filledHole) {
            ackNow = true;
        }
        int oldNext = rcvNxt;
        rcvNxt = seq + length;
        if (receiveBuffer.held() == 0 && !readPaused) {
            receiveBuffer.skip(length);  // straight from the packet: no copy
            if (filledHole) {
                rcvNxt = receiveBuffer.advance(rcvNxt);
                receiveBuffer.holdUpTo(rcvNxt);
            }
            deliver(buffer, data, length);
            if (filledHole && state != TcpState.CLOSED) {
                deliverHeld();
            }
        } else {
            receiveBuffer.write(oldNext, buffer, data, length);
            rcvNxt = receiveBuffer.advance(rcvNxt);
            receiveBuffer.holdUpTo(rcvNxt);
            deliverHeld();
        }
        sackBlocks.advance(rcvNxt);
        if (unackedBytes >= BATCH_ACK_BYTES && state != TcpState.CLOSED) {
            // within a long read batch (up to 256 KiB): one ACK at its end starves the sender
            sendAck();
            tcp.flush();
        }
        if (oooFin && oooFinSeq == rcvNxt && state != TcpState.CLOSED) {
            oooFin = false;
            finArrived();
        }
    }

    private void deliver(ByteBuffer buffer, int at, int length) {
        buffer.limit(at + length).position(at);
        try {
            protocol.dataReceived(buffer);
        } catch (RuntimeException e) {
            tcp.protocolFailed(protocol, e);
        }
    }

    /** Hands held bytes to the protocol while reading is not paused. */
    private void deliverHeld() {
        while (!readPaused && state != TcpState.CLOSED) {
            ByteBuffer chunk = receiveBuffer.peek();
            if (chunk == null) {
                break;
            }
            int length = chunk.remaining();
            receiveBuffer.consume(length);
            try {
                protocol.dataReceived(chunk);
            } catch (RuntimeException e) {
                tcp.protocolFailed(protocol, e);
            }
        }
        if (!readPaused && finReceived && !readClosedReported && receiveBuffer.held() == 0
                && state != TcpState.CLOSED) {
            reportReadClosed();
        }
    }

    private void finArrived() {
        rcvNxt++;
        ackNow = true;
        finReceived = true;
        switch (state) {
            case SYN_RECEIVED, ESTABLISHED -> state = TcpState.CLOSE_WAIT;
            case FIN_WAIT_1 -> state = TcpState.CLOSING;
            case FIN_WAIT_2 -> {
                sendAck();
                enterTimeWait();
                return;
            }
            default -> {
                return;
            }
        }
        if (!readPaused && receiveBuffer.held() == 0) {
            reportReadClosed();
        }
    }

    private void reportReadClosed() {
        readClosedReported = true;
        if (state == TcpState.CLOSING || state == TcpState.TIME_WAIT) {
            return;  // we closed first: the protocol hears connectionLost
        }
        try {
            protocol.readConnectionLost();
        } catch (RuntimeException e) {
            tcp.protocolFailed(protocol, e);
        }
    }

    private void ourFinAcked() {
        switch (state) {
            case FIN_WAIT_1 -> state = TcpState.FIN_WAIT_2;
            case CLOSING -> enterTimeWait();
            case LAST_ACK -> {
                state = TcpState.CLOSED;
                release(new ConnectionDone("connection to " + getPeer() + " closed"));
            }
            default -> {
            }
        }
    }

    /**
     * Both FINs are acknowledged: the 4-tuple moves to the protocol's bounded TIME-WAIT table,
     * which answers retransmitted FINs for 2 MSL, and this object is released.
     */
    private void enterTimeWait() {
        notifyLost(new ConnectionDone("connection to " + getPeer() + " closed"));
        tcp.timeWaitEntered(this, sndNxt, rcvNxt, Math.min(receiveWindow() >>> rcvShift, 0xFFFF), tsRecent,
            timestamps);
        release(null);
    }

    private void resetByPeer() {
        switch (state) {
            case SYN_RECEIVED -> {
                if (listener == null) {
                    fail(new ConnectException("connection refused by " + getPeer()));
                    return;
                }
                state = TcpState.CLOSED;
                release(null);
            }
            default -> {
                state = TcpState.CLOSED;
                tcp.resetsReceived++;
                release(new ConnectionLost("connection reset by " + getPeer()));
            }
        }
    }

    /** Whether this connection is in SYN-SENT and {@code seq} is its SYN's (an ICMP error may end it). */
    boolean connectingWith(int seq) {
        return state == TcpState.SYN_SENT && SequenceNumbers.inRange(seq, sndUna, sndMax);
    }

    /**
     * A "fragmentation needed" / "packet too big" quoted {@code seq} and reported {@code mtu}
     * (already raised to the minimum path MTU): if the quote is in flight (RFC 5927 section 5.2)
     * and the MTU leaves less than the send MSS, lowers the MSS and resends what is in flight
     * in segments of the new size (RFC 1191 section 6.3, RFC 8201 section 5.4).
     *
     * @return true if the MSS was lowered
     */
    boolean pathMtuLowered(int seq, int mtu) {
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT || !SequenceNumbers.inRange(seq, sndUna, sndMax)) {
            return false;
        }
        int mss = mtu - (ipv6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH) - TcpHeader.MIN_LENGTH;
        if (mss >= sendMss) {
            return false;
        }
        sendMss = Math.max(mss, MIN_SEND_MSS);
        if (state != TcpState.SYN_SENT && state != TcpState.SYN_RECEIVED && sndMax != sndUna) {
            sndNxt = sndUna;  // go back: what was sent is too big to arrive (Linux's tcp_simple_retransmit)
            rttTiming = false;
            tcp.retransmissions++;
            output();
            tcp.flush();
        }
        return true;
    }

    /** The floor of the send MSS whatever a peer or an ICMP message says (Linux's tcp_min_snd_mss). */
    private static final int MIN_SEND_MSS = 48;

    /** A connect failed (RST, ICMP unreachable, or SYN timeouts). */
    void fail(Exception reason) {
        state = TcpState.CLOSED;
        release(reason);
    }

    // ---------------------------------------------------------------- the end of a read batch

    /** Sends what the batch made due: data (carrying the ACK), else the ACK itself. */
    void readComplete() {
        inBatch = false;
        if (state == TcpState.CLOSED) {
            return;
        }
        output();
        if (ackNow || unackedBytes >= 2 * receiveMss) {
            sendAck();
        } else if (unackedBytes > 0) {
            delayedAckTimer.armIfIdle(options.delayedAck().toNanos());
        }
    }

    private void ackNow() {
        ackNow = true;
        tcp.inBatch(this);
    }

    /** RFC 5961 section 7: at most 10 challenge ACKs a second per connection. */
    private void challengeAck() {
        long second = tcp.clock().nanoTime() / 1_000_000_000L;
        if (second != challengeSecond) {
            challengeSecond = second;
            challengeAcks = 0;
        }
        if (challengeAcks++ < 10) {
            tcp.challengeAcks++;
            ackNow();
        }
    }

    private void delayedAckTimeout() {
        if (unackedBytes > 0 && state != TcpState.CLOSED) {
            sendAck();
            tcp.flush();
        }
    }

    private void sendAck() {
        sendSegment(sndNxt, TcpHeader.ACK, 0);
    }

    // ---------------------------------------------------------------- sending

    /** Sends whatever the windows, Nagle and the state allow. */
    private void output() {
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT && state != TcpState.FIN_WAIT_1
                && state != TcpState.CLOSING && state != TcpState.LAST_ACK) {
            return;
        }
        while (true) {
            int end = sendBuffer.endSeq();
            int unsent = end - sndNxt;
            int inFlight = sndNxt - sndUna;
            if (unsent > 0) {
                if (inFlight == 0 && lastSendNanos != 0
                        && tcp.clock().nanoTime() - lastSendNanos > rtt.rtoNanos()) {
                    congestion.onIdleRestart(tcp.clock().nanoTime());  // RFC 5681 section 4.1
                }
                long cwnd = congestion.cwnd();
                cwndLimited = cwnd <= sndWnd;
                long pipe = sack && scoreboard.ranges() > 0
                    ? scoreboard.pipe(sndNxt, highRetransmitted(), sendMss) : inFlight;
                int usable = (int) Math.min(Math.min((long) sndWnd - inFlight, cwnd - pipe), Integer.MAX_VALUE);
                if (usable <= 0) {
                    if (sndWnd == 0 && !retransmitTimer.isArmed()) {
                        retransmitTimer.arm(rtt.rtoNanos());  // the persist timer: probes when it fires
                    }
                    return;
                }
                // with TSO one super-packet carries up to 64 KiB, cut into MSS segments by the kernel
                int data = segmentData();
                int most = tcp.ip().segmentOffload().canWriteTcpSuperPackets() ? superPacketPayload(data) : data;
                int length = Math.min(Math.min(unsent, most), usable);
                // Nagle and SWS avoidance hold back new data only: a resend after going back
                // (a lowered path MTU) goes out whole, as Linux's tcp_simple_retransmit
                if (length < data && !lt(sndNxt, sndMax)) {
                    boolean all = length == unsent;
                    if (all && inFlight > 0 && !noDelay && !finQueued) {
                        return;  // Nagle (RFC 9293 section 3.7.4)
                    }
                    if (!all && length < maxSndWnd / 2) {
                        if (inFlight == 0 && !retransmitTimer.isArmed()) {
                            retransmitTimer.arm(rtt.rtoNanos());
                        }
                        return;  // sender SWS avoidance (RFC 9293 section 3.8.6.2.1)
                    }
                }
                int flags = TcpHeader.ACK;
                if (length == unsent) {
                    flags |= TcpHeader.PSH;
                    if (finQueued) {
                        flags |= TcpHeader.FIN;
                    }
                }
                transmit(sndNxt, length, flags);
            } else if (finQueued && sndNxt == end) {
                transmit(sndNxt, 0, TcpHeader.ACK | TcpHeader.FIN);
            } else {
                return;
            }
        }
    }

    /**
     * The most payload a TSO super-packet carries: whole segments of {@code data} bytes (the
     * super-packet's gso_size) within a 64 KiB IP packet.
     */
    private int superPacketPayload(int data) {
        int room = 0xFFFF - (ipv6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH) - TcpHeader.MAX_LENGTH;
        return Math.max(data, room / data * data);
    }

    /**
     * The data one segment carries: the send MSS less the TCP options the next segment carries,
     * timestamps and SACK blocks (RFC 6691 section 2, as Linux's {@code tcp_current_mss}), so that
     * a full segment fits the MTU the MSS came from.
     */
    private int segmentData() {
        int optionBytes = timestamps ? TIMESTAMP_OPTION_BYTES : 0;
        if (sack && sackBlocks.count() > 0) {
            optionBytes += 4 + 8 * Math.min(sackBlocks.count(), timestamps ? 3 : TcpHeader.MAX_SACK_BLOCKS);
        }
        return Math.max(sendMss - optionBytes, 1);
    }

    private static final int TIMESTAMP_OPTION_BYTES = 12;

    /** Sends {@code length} bytes at {@code seq} (and the FIN, if flagged) and advances SND.NXT. */
    private long lastSendNanos;

    private void transmit(int seq, int length, int flags) {
        lastSendNanos = tcp.clock().nanoTime();
        if (!rttTiming && seq == sndMax && !timestamps) {
            rttTiming = true;
            rttSeq = seq;
            rttStart = tcp.clock().nanoTime();
        }
        sendSegment(seq, flags, length);
        int after = seq + length;
        if ((flags & TcpHeader.FIN) != 0) {
            finSent = true;
            finSeq = after;
            after++;
            finStateChange();
        }
        if (gt(after, sndNxt)) {
            sndNxt = after;
        }
        if (gt(after, sndMax)) {
            sndMax = after;
        } else if (rttTiming && lt(seq, rttSeq + 1) && !timestamps) {
            rttTiming = false;  // Karn: no sample from a retransmission
        }
        if (!retransmitTimer.isArmed()) {
            retransmitTimer.arm(rtt.rtoNanos());
        }
    }

    private void finStateChange() {
        if (state == TcpState.ESTABLISHED) {
            state = TcpState.FIN_WAIT_1;
        } else if (state == TcpState.CLOSE_WAIT) {
            state = TcpState.LAST_ACK;
        }
    }

    /** Retransmits the first unacknowledged segment (or the first SACK hole), whatever the windows. */
    private void retransmitFirst(boolean probe) {
        int seq = sndUna;
        if (sack) {
            seq = firstHole(sndUna);
        }
        int end = sendBuffer.endSeq();
        int length = Math.min(segmentData(), Math.max(end - seq, 0));
        if (sack && scoreboard.ranges() > 0) {
            length = Math.min(length, holeEnd(seq) - seq);
        }
        if (probe && sndWnd == 0) {
            length = Math.min(length, 1);
        }
        int flags = TcpHeader.ACK;
        if (finSent && seq + length == end) {
            flags |= TcpHeader.FIN;
        } else if (length <= 0) {
            return;
        }
        tcp.retransmissions++;
        sendSegment(seq, flags, length);
        int after = seq + length + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        if (gt(after, sndNxt)) {
            sndNxt = after;
        }
        if (gt(after, sndMax)) {
            sndMax = after;
        }
        retransmitPointer = after;
    }

    private int retransmitPointer;

    /** RFC 6675's HighRxt + 1: SND.UNA unless something was retransmitted in this recovery. */
    private int highRetransmitted() {
        return congestion.inRecovery() && gt(retransmitPointer, sndUna) ? retransmitPointer : sndUna;
    }

    /** The first byte at or after {@code from} the peer has not SACKed. */
    private int firstHole(int from) {
        if (scoreboard.ranges() == 0) {
            return from;
        }
        if (scoreboard.nextHole(from)) {
            return scoreboard.holeStart();
        }
        int top = scoreboard.highestSackedEnd();
        return gt(top, from) ? top : from;
    }

    /** Where the unSACKed run at {@code seq} ends: the next SACKed byte, or SND.MAX (ranges exist). */
    private int holeEnd(int seq) {
        return scoreboard.nextHole(seq) && scoreboard.holeStart() == seq ? scoreboard.holeEnd() : sndMax;
    }

    /** In SACK recovery, each duplicate ACK lets one more hole go out (RFC 6675 NextSeg, simplified). */
    private void retransmitNextHole() {
        int from = SequenceNumbers.max(retransmitPointer, sndUna);
        if (!scoreboard.nextHole(from) || !scoreboard.isLost(scoreboard.holeStart(), sendMss)
                || scoreboard.pipe(sndNxt, highRetransmitted(), sendMss) >= congestion.cwnd()) {
            return;
        }
        int seq = scoreboard.holeStart();
        int length = Math.min(segmentData(), scoreboard.holeEnd() - seq);
        length = Math.min(length, sendBuffer.endSeq() - seq);
        if (length <= 0) {
            return;
        }
        tcp.retransmissions++;
        sendSegment(seq, TcpHeader.ACK, length);
        retransmitPointer = seq + length;
    }

    private void retransmitTimeout() {
        switch (state) {
            case SYN_SENT -> {
                if (++retries > options.synRetries()) {
                    fail(new SocketTimeoutException("connect to " + getPeer() + " timed out after "
                        + options.synRetries() + " SYN retransmissions"));
                    return;
                }
                handshakeTimedOut = true;
                backOff();
                sendSyn(false);
                retransmitTimer.arm(rtt.rtoNanos());
            }
            case SYN_RECEIVED -> {
                if (++retries > options.synRetries()) {
                    state = TcpState.CLOSED;
                    release(null);
                    return;
                }
                handshakeTimedOut = true;
                backOff();
                sendSyn(true);
                retransmitTimer.arm(rtt.rtoNanos());
            }
            case CLOSED, LISTEN, TIME_WAIT, FIN_WAIT_2 -> {
            }
            default -> {
                if (sndUna == sndMax) {
                    persistTimeout();
                    return;
                }
                boolean probing = sndWnd == 0;
                if (!probing && ++retries > options.retries()) {
                    state = TcpState.CLOSED;
                    sendSegment(sndNxt, TcpHeader.RST | TcpHeader.ACK, 0);
                    release(new ConnectionLost("connection to " + getPeer() + " timed out after "
                        + options.retries() + " retransmissions"));
                    return;
                }
                if (!probing) {
                    congestion.onRetransmitTimeout(sndMax - sndUna, tcp.clock().nanoTime());
                    tcp.timeouts++;
                } else {
                    tcp.windowProbes++;
                }
                dupAcks = 0;
                scoreboard.clear();  // RFC 2018 section 5: the receiver may have reneged
                sndNxt = sndUna;
                rttTiming = false;
                backOff();
                retransmitFirst(true);
                retransmitTimer.arm(rtt.rtoNanos());
                tcp.flush();
            }
        }
    }

    /**
     * Nothing is in flight but data waits: the persist timer of a zero window (a probe of one new
     * byte, backed off, RFC 9293 section 3.8.6.1), or the override of sender SWS avoidance (send
     * what the small window allows, section 3.8.6.2.1).
     */
    private void persistTimeout() {
        int unsent = sendBuffer.endSeq() - sndNxt;
        if (unsent <= 0) {
            if (finQueued && sndNxt == sendBuffer.endSeq()) {
                output();
            }
            return;
        }
        if (sndWnd == 0) {
            tcp.windowProbes++;
            retransmitFirst(true);
            backOff();
            retransmitTimer.arm(rtt.rtoNanos());
        } else {
            int length = Math.min(Math.min(unsent, segmentData()), sndWnd);
            transmit(sndNxt, length, length == unsent ? TcpHeader.ACK | TcpHeader.PSH : TcpHeader.ACK);
        }
        tcp.flush();
    }

    private void backOff() {
        rtt.backOff();
    }

    private void keepAliveTimeout() {
        if (state == TcpState.CLOSED || state == TcpState.TIME_WAIT) {
            return;
        }
        if (keepAliveProbes >= options.keepAliveProbes()) {
            state = TcpState.CLOSED;
            sendSegment(sndNxt, TcpHeader.RST | TcpHeader.ACK, 0);
            release(new ConnectionLost("connection to " + getPeer() + " timed out: " + keepAliveProbes
                + " keep-alive probes unanswered"));
            return;
        }
        keepAliveProbes++;
        sendSegment(sndUna - 1, TcpHeader.ACK, 0);
        keepAliveTimer.arm(options.keepAliveInterval().toNanos());
        tcp.flush();
    }

    private void sendSyn(boolean withAck) {
        sendSegment(iss, withAck ? TcpHeader.SYN | TcpHeader.ACK : TcpHeader.SYN, 0);
    }

    /** Builds and sends one segment in the protocol's output buffer. */
    private void sendSegment(int seq, int flags, int length) {
        ByteBuffer out = tcp.output();
        out.clear();
        int ipLength = ipv6 ? Ipv6Header.LENGTH : Ipv4Header.MIN_LENGTH;
        int at = IpLink.HEADROOM + ipLength;
        int o = at + TcpHeader.MIN_LENGTH;
        boolean syn = (flags & TcpHeader.SYN) != 0;
        boolean rst = (flags & TcpHeader.RST) != 0;
        if (syn) {
            o += TcpHeader.writeMss(out, o, receiveMss);
            boolean active = (flags & TcpHeader.ACK) == 0;
            if (active || rcvShift > 0 || sndShift > 0) {
                if (active) {
                    rcvShift = options.windowScale();
                }
                o += TcpHeader.writeWindowScale(out, o, rcvShift);
            }
            if (active || sack) {
                o += TcpHeader.writeSackPermitted(out, o);
            }
            if (active || timestamps) {
                o += TcpHeader.writeTimestamp(out, o, tsNow(), active ? 0 : tsRecent);
            }
        } else if (!rst || timestamps) {
            if (timestamps) {
                o += TcpHeader.writeTimestamp(out, o, tsNow(), tsRecent);
            }
            if (sack && !rst && sackBlocks.count() > 0) {
                NetworkOrder.u16(out, o, TcpHeader.OPTION_NOP << 8 | TcpHeader.OPTION_NOP);
                o += 2 + sackBlocks.encode(out, o + 2, timestamps ? 3 : 4);
            }
        }
        int headerLength = o - at;
        int window = advertisedWindow();
        int field = syn ? Math.min(window, 0xFFFF) : Math.min(window >>> rcvShift, 0xFFFF);
        boolean hasAck = (flags & TcpHeader.ACK) != 0;
        TcpHeader header = tcp.outHeader().wrap(out, at);
        header.write(localPort, remotePort, seq, hasAck ? rcvNxt : 0, headerLength, flags, field);
        if (length > 0) {
            sendBuffer.copy(seq, length, out, at + headerLength);
        }
        int tcpLength = headerLength + length;
        int data = segmentData();
        boolean superPacket = length > data;  // only built when the port takes TSO super-packets
        if (superPacket) {
            if (ipv6) {
                Ipv6Header.write(out, IpLink.HEADROOM, tcpLength, TcpProtocol.PROTOCOL, IPProtocol.DEFAULT_TTL,
                    localHigh, localLow, remoteHigh, remoteLow);
            } else {
                Ipv4Header.write(out, IpLink.HEADROOM, ipLength + tcpLength, tcp.ip().nextIdentification(),
                    IPProtocol.DEFAULT_TTL, TcpProtocol.PROTOCOL, localIpv4, remoteIpv4);
            }
            tcp.sendSuperPacket(out, ipLength + tcpLength, data);  // the port fills the checksum
        } else if (ipv6) {
            header.computeChecksum(InternetChecksum.pseudoHeaderIpv6(localHigh, localLow, remoteHigh,
                remoteLow, TcpProtocol.PROTOCOL, tcpLength), tcpLength);
            Ipv6Header.write(out, IpLink.HEADROOM, tcpLength, TcpProtocol.PROTOCOL,
                IPProtocol.DEFAULT_TTL, localHigh, localLow, remoteHigh, remoteLow);
        } else {
            header.computeChecksum(InternetChecksum.pseudoHeaderIpv4(localIpv4, remoteIpv4,
                TcpProtocol.PROTOCOL, tcpLength), tcpLength);
            Ipv4Header.write(out, IpLink.HEADROOM, ipLength + tcpLength, tcp.ip().nextIdentification(),
                IPProtocol.DEFAULT_TTL, TcpProtocol.PROTOCOL, localIpv4, remoteIpv4);
        }
        if (!superPacket) {
            tcp.send(out, ipLength + tcpLength);
        }
        if (hasAck) {
            lastAckSent = rcvNxt;
            unackedBytes = 0;
            ackNow = false;
            delayedAckTimer.disarm();
            if (!syn) {
                advertisedRight = rcvNxt + (field << rcvShift);
            }
        }
    }

    /** The free space of the receive buffer: the window we offer. */
    private int receiveWindow() {
        if (receiveBuffer == null) {
            return Math.min(options.receiveBuffer(), 0xFFFF);
        }
        return Math.max(receiveBuffer.rightEdge() - rcvNxt, 0);
    }

    /**
     * The window to advertise, with receiver-side silly window avoidance (RFC 9293 section
     * 3.8.6.2.2): the right edge moves only by at least min(buffer / 2, MSS), and never back.
     */
    private int advertisedWindow() {
        int free = receiveWindow();
        if (receiveBuffer == null || advertisedRight == 0) {
            return free;
        }
        int grown = receiveBuffer.rightEdge() - advertisedRight;
        if (grown >= Math.min(receiveBuffer.capacity() / 2, receiveMss)) {
            return free;
        }
        return Math.max(advertisedRight - rcvNxt, 0);
    }

    private int tsNow() {
        return (int) (tcp.clock().nanoTime() / MILLI) + tsOffset;
    }

    /**
     * The bytes buffered before a producer is paused: the configured send buffer, grown (like
     * Linux's send buffer auto-tuning, {@code tcp_wmem}) to twice the data the windows let fly,
     * so a fast path is never idle for want of buffered bytes; at most {@link #SEND_AUTO_MAX}.
     */
    private int sendLimit() {
        long flight = Math.min(congestion.cwnd(), maxSndWnd);
        return (int) Math.max(options.sendBuffer(), Math.min(2 * flight, SEND_AUTO_MAX));
    }

    /** The send buffer shrank: resume the producer, FIN if closing. */
    private void writeSpaceFreed() {
        int buffered = sendBuffer.size();
        if (producer != null && buffered <= sendLimit() / 2) {
            if (streamingProducer) {
                if (producerPaused) {
                    producerPaused = false;
                    try {
                        ((PushProducer) producer).resumeProducing();
                    } catch (RuntimeException e) {
                        tcp.protocolFailed(producer, e);
                    }
                }
            } else {
                try {
                    ((PullProducer) producer).resumeProducing();
                } catch (RuntimeException e) {
                    tcp.protocolFailed(producer, e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /** Drops the connection from the protocol and tells the protocol once. */
    private void release(Exception reason) {
        state = TcpState.CLOSED;
        retransmitTimer.cancel();
        delayedAckTimer.cancel();
        keepAliveTimer.cancel();
        if (listener != null && protocol == null) {
            listener.halfOpenGone();
            listener = null;
        }
        tcp.remove(this);
        if (connecting != null) {
            CompletableFuture<Protocol> future = connecting;
            connecting = null;
            future.completeExceptionally(reason != null ? reason : new ConnectException("connection to " + getPeer()
                + " closed before it was established"));
        }
        if (reason != null) {
            notifyLost(reason);
        }
    }

    private void notifyLost(Exception reason) {
        Protocol p = protocol;
        if (p == null || lostNotified) {
            return;
        }
        lostNotified = true;
        Producer registered = producer;
        producer = null;
        if (registered != null) {
            try {
                registered.stopProducing();
            } catch (RuntimeException e) {
                tcp.protocolFailed(registered, e);
            }
        }
        try {
            p.connectionLost(reason);
        } catch (RuntimeException e) {
            tcp.protocolFailed(p, e);
        }
    }

    private boolean lostNotified;

    private void reset() {
        if (state != TcpState.CLOSED && state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
            sendSegment(sndNxt, TcpHeader.RST | TcpHeader.ACK, 0);
            tcp.flush();
        }
    }

    // ---------------------------------------------------------------- StreamTransport

    @Override
    public int write(ByteBuffer data) {
        if (finQueued || lostNotified || state == TcpState.CLOSED || sendBuffer == null) {
            return 0;
        }
        int length = data.remaining();
        sendBuffer.append(data);
        if (producer != null && streamingProducer && !producerPaused && sendBuffer.size() > sendLimit()) {
            producerPaused = true;
            try {
                ((PushProducer) producer).pauseProducing();
            } catch (RuntimeException e) {
                tcp.protocolFailed(producer, e);
            }
        }
        kick();
        return length;
    }

    /** Sends now, or at the end of the read batch when one is being delivered. */
    private void kick() {
        if (tcp.delivering()) {
            tcp.inBatch(this);
        } else {
            output();
            tcp.flush();
        }
    }

    @Override
    public void loseConnection() {
        loseWriteConnection();
    }

    @Override
    public void loseWriteConnection() {
        if (finQueued || state == TcpState.CLOSED) {
            return;
        }
        if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED && protocol == null) {
            state = TcpState.CLOSED;
            release(new ConnectionDone("connection to " + getPeer() + " closed before it was established"));
            return;
        }
        if (producer != null) {
            pendingClose = true;
            return;
        }
        finQueued = true;
        kick();
    }

    private boolean pendingClose;

    @Override
    public void abortConnection() {
        if (state == TcpState.CLOSED) {
            return;
        }
        reset();
        sendBuffer.clear();
        state = TcpState.CLOSED;
        release(new ConnectionAborted("connection to " + getPeer() + " aborted"));
    }

    @Override
    public InetSocketAddress getHost() {
        return new InetSocketAddress(ipv6 ? Ipv6Header.toInetAddress(localHigh, localLow)
            : Ipv4Header.toInetAddress(localIpv4), localPort);
    }

    @Override
    public InetSocketAddress getPeer() {
        return new InetSocketAddress(ipv6 ? Ipv6Header.toInetAddress(remoteHigh, remoteLow)
            : Ipv4Header.toInetAddress(remoteIpv4), remotePort);
    }

    @Override
    public long bufferedBytes() {
        return sendBuffer == null ? 0 : sendBuffer.size();
    }

    @Override
    public void setTcpNoDelay(boolean value) {
        this.noDelay = value;
        if (value && state != TcpState.CLOSED) {
            kick();
        }
    }

    @Override
    public boolean getTcpNoDelay() {
        return noDelay;
    }

    @Override
    public void registerProducer(Producer registered, boolean streaming) {
        if (producer != null) {
            throw new IllegalStateException("a producer is already registered on " + this);
        }
        if (streaming ? !(registered instanceof PushProducer) : !(registered instanceof PullProducer)) {
            throw new IllegalArgumentException(registered.getClass().getName() + " is not a "
                + (streaming ? "PushProducer" : "PullProducer"));
        }
        producer = registered;
        streamingProducer = streaming;
        producerPaused = false;
        if (streaming) {
            if (sendBuffer.size() > options.sendBuffer()) {
                producerPaused = true;
                ((PushProducer) registered).pauseProducing();
            }
        } else {
            ((PullProducer) registered).resumeProducing();
        }
    }

    @Override
    public void unregisterProducer() {
        producer = null;
        if (pendingClose) {
            pendingClose = false;
            loseWriteConnection();
        }
    }

    @Override
    public void pauseProducing() {
        readPaused = true;
    }

    @Override
    public void resumeProducing() {
        if (!readPaused) {
            return;
        }
        readPaused = false;
        if (state == TcpState.CLOSED) {
            return;
        }
        int before = advertisedRight - rcvNxt;
        deliverHeld();
        if (state == TcpState.CLOSED) {
            return;
        }
        // RFC 9293 section 3.8.6.2.2: announce a window that grew by an MSS or half the buffer
        int now = receiveWindow();
        if (now - before >= Math.min(receiveBuffer.capacity() / 2, receiveMss)) {
            ackNow = true;
            if (tcp.delivering()) {
                tcp.inBatch(this);
            } else {
                sendAck();
                tcp.flush();
            }
        }
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The connection's state. A connection that reaches TIME-WAIT is handed to its protocol's
     * bounded TIME-WAIT table ({@link TcpProtocol#timeWaitCount()}) and reads CLOSED from then on.
     *
     * @return the current state
     */
    public TcpState state() {
        return state;
    }

    /**
     * The protocol on this connection.
     *
     * @return the protocol, or {@code null} before ESTABLISHED
     */
    public Protocol protocol() {
        return protocol;
    }

    /**
     * The MSS this side sends with (the peer's, clamped to our MTU).
     *
     * @return bytes
     */
    public int sendMss() {
        return sendMss;
    }

    /**
     * The congestion window.
     *
     * @return bytes
     */
    public long congestionWindow() {
        return congestion == null ? 0 : congestion.cwnd();
    }

    /**
     * The peer's last advertised window, scaled.
     *
     * @return bytes
     */
    public int sendWindow() {
        return sndWnd;
    }

    /**
     * The current retransmission timeout.
     *
     * @return nanoseconds
     */
    public long retransmitTimeoutNanos() {
        return rtt.rtoNanos();
    }

    /**
     * Bytes sent and not yet acknowledged.
     *
     * @return SND.MAX - SND.UNA
     */
    public int bytesInFlight() {
        return sndMax - sndUna;
    }

    /**
     * Whether timestamps (RFC 7323) were negotiated.
     *
     * @return true if in use
     */
    public boolean timestampsEnabled() {
        return timestamps;
    }

    /**
     * Whether SACK (RFC 2018) was negotiated.
     *
     * @return true if in use
     */
    public boolean sackEnabled() {
        return sack;
    }

    /**
     * The window shifts in effect.
     *
     * @return the peer's shift (applied to windows it sends) * 16 + ours
     */
    int windowShifts() {
        return sndShift * 16 + rcvShift;
    }

    boolean matches(boolean v6, int localV4, long localH, long localL, int lPort, int remoteV4, long remoteH,
            long remoteL, int rPort) {
        return localPort == lPort && remotePort == rPort && ipv6 == v6
            && (v6 ? localHigh == localH && localLow == localL && remoteHigh == remoteH && remoteLow == remoteL
                : localIpv4 == localV4 && remoteIpv4 == remoteV4);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + getHost() + " -> " + getPeer() + " " + state + "]";
    }
}
