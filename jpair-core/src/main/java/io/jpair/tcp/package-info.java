/**
 * The userspace TCP (RFC 9293) of the host stack, and the self-contained parts it is built from:
 * the retransmission timer estimator ({@link io.jpair.tcp.RttEstimator}, RFC 6298), congestion
 * control ({@link io.jpair.tcp.CongestionControl}: {@link io.jpair.tcp.NewReno}, RFC 5681/6582,
 * and {@link io.jpair.tcp.Cubic}, RFC 9438, chosen by {@link io.jpair.tcp.CongestionAlgorithm}),
 * selective acknowledgement on both sides ({@code SackScoreboard} for the sender,
 * RFC 2018/6675, and {@code SackBlocks} for the receiver), initial sequence numbers
 * ({@code IsnGenerator}, RFC 6528), SYN cookies ({@code SynCookies},
 * RFC 4987) and the bounded TIME-WAIT table ({@code TimeWaitTable}).
 *
 * <p>Sequence numbers are {@code int}s compared modulo 2<sup>32</sup> ({@code a} is before
 * {@code b} when {@code a - b < 0}); addresses travel as in {@code io.jpair.ip}: IPv4 as an
 * {@code int}, IPv6 as two {@code long}s (high, low). Time is always the caller's, in nanoseconds
 * from the reactor's clock, so tests move it by hand. Every class here is used on the reactor
 * thread only and allocates nothing per segment.
 */
package io.jpair.tcp;
