/**
 * IPv4, IPv6 and ICMP (Twisted's {@code twisted.pair.ip}, completed): the zero-copy views
 * {@link io.jpair.ip.Ipv4Header}, {@link io.jpair.ip.Ipv6Header} and {@link io.jpair.ip.IcmpHeader},
 * the demultiplexer {@link io.jpair.ip.IPProtocol} (by IP protocol number to
 * {@link io.jpair.ip.RawDatagramProtocol}s, Twisted's {@code IRawDatagramProtocol}), the
 * per-packet context {@link io.jpair.ip.IpPacket}, the one source-address rule for replies
 * ({@link io.jpair.ip.IPProtocol#selectSource}, {@link io.jpair.ip.SourceAddress}), outbound links
 * ({@link io.jpair.ip.IpLink}), and ICMP for both versions ({@link io.jpair.ip.AbstractIcmpProtocol}:
 * one echo responder, {@link io.jpair.ip.IcmpProtocol} and {@link io.jpair.ip.Icmpv6Protocol}).
 * Neighbour discovery and the Ethernet link are in {@code io.jpair.neighbour}, above this package.
 *
 * <p>Addresses travel allocation-free: IPv4 as an {@code int} (first octet most significant),
 * IPv6 as two {@code long}s (high, low); {@code InetAddress} conversions exist for callers that want
 * them. No allocation per packet on receive, demux or echo reply.
 *
 * <p>Depends on {@code io.jpair.wire}, {@code io.jpair.transport} and {@code io.jpair.reactor}
 * (for time); never on {@code io.jpair.ethernet}, {@code io.jpair.neighbour}, {@code io.jpair.sys},
 * {@code io.jpair.tuntap} or {@code io.jpair.udp}.
 */
package io.jpair.ip;
