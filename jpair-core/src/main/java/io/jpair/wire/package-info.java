/**
 * What every layer of the protocol stack reads and writes the wire with, below all of them:
 * big-endian field access ({@link io.jpair.wire.NetworkOrder}) and the Internet checksum with the
 * IPv4/IPv6 pseudo-header sums ({@link io.jpair.wire.InternetChecksum}), shared by
 * {@code io.jpair.ethernet}, {@code io.jpair.ip}, {@code io.jpair.udp}, {@code io.jpair.neighbour}
 * and the offload code of {@code io.jpair.tuntap} (GSO split, GRO coalescing). Allocation-free.
 *
 * <p>Depends on nothing else in jpair; every package may use it.
 */
package io.jpair.wire;
