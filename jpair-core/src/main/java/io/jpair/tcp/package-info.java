/**
 * jpair's userspace TCP (RFC 9293) on the host stack: {@link io.jpair.tcp.TcpProtocol} (protocol
 * 6 on {@code io.jpair.ip.IPProtocol}), its {@link io.jpair.tcp.TcpConnection}s (each a
 * {@code io.jpair.stream.StreamTransport}) and {@link io.jpair.tcp.TcpListener}s, the
 * {@link io.jpair.tcp.TcpHeader} flyweight and {@link io.jpair.tcp.TcpOptions}; and the
 * self-contained parts it is built from: the retransmission timer estimator
 * ({@link io.jpair.tcp.RttEstimator}, RFC 6298), congestion control
 * ({@link io.jpair.tcp.CongestionControl}: {@link io.jpair.tcp.NewReno}, RFC 5681/6582, and
 * {@link io.jpair.tcp.Cubic}, RFC 9438, chosen by {@link io.jpair.tcp.CongestionAlgorithm}),
 * selective acknowledgement on both sides ({@link io.jpair.tcp.SackScoreboard} for the sender, RFC 2018/6675,
 * and {@link io.jpair.tcp.SackBlocks} for the receiver), initial sequence numbers ({@link io.jpair.tcp.IsnGenerator},
 * RFC 6528), SYN cookies ({@link io.jpair.tcp.SynCookies}, RFC 4987) and the bounded TIME-WAIT table
 * ({@link io.jpair.tcp.TimeWaitTable}).
 *
 * <p>Sequence numbers are {@code int}s compared modulo 2<sup>32</sup> ({@code a} is before
 * {@code b} when {@code a - b < 0}); addresses travel as in {@code io.jpair.ip}: IPv4 as an
 * {@code int}, IPv6 as two {@code long}s (high, low). Time is always the caller's, in nanoseconds
 * from the reactor's clock, so tests move it by hand. Depends on {@code io.jpair.ip},
 * {@code io.jpair.stream}, {@code io.jpair.reactor} and {@code io.jpair.wire}. Every class here
 * is used on the reactor thread only and allocates nothing per segment.
 */
package io.jpair.tcp;
