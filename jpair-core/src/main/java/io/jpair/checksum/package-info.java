/**
 * The Internet checksum (RFC 1071) and the IPv4/IPv6 pseudo-header sums:
 * {@link io.jpair.checksum.InternetChecksum}, the one implementation shared by the protocol stack
 * ({@code io.jpair.ip}, {@code io.jpair.udp}) and the offload code of {@code io.jpair.tuntap}
 * (GSO split, GRO coalescing). Allocation-free and stateless.
 *
 * <p>Depends on nothing else in jpair; every package may use it.
 */
package io.jpair.checksum;
