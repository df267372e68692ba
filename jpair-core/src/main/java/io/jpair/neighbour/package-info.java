/**
 * Neighbour resolution: how a host on an Ethernet (TAP) link finds the MAC of an IP neighbour and
 * tells others its own. ARP for IPv4 ({@link io.jpair.neighbour.ArpProtocol} with the view
 * {@link io.jpair.neighbour.ArpPacket}), neighbour discovery for IPv6
 * ({@link io.jpair.neighbour.NeighbourDiscovery}, fed by {@code Icmpv6Protocol}), the shared cache
 * {@link io.jpair.neighbour.NeighbourTable} that believes only answers to its own questions,
 * revalidates a contradicted neighbour by unicast probe, never evicts one in use and budgets its
 * requests, and
 * {@link io.jpair.neighbour.EthernetLink}, the IP layer's link on TAP, which frames IP packets and
 * holds those waiting for resolution.
 *
 * <p>Its own package because it is the one part of the stack that needs both Ethernet and IP: the
 * IP layer stays independent of Ethernet (it runs on TUN without it), and Ethernet knows nothing of
 * IP.
 *
 * <p>Depends on {@code io.jpair.ethernet}, {@code io.jpair.ip}, {@code io.jpair.wire},
 * {@code io.jpair.transport} and {@code io.jpair.reactor} (for time); never on {@code io.jpair.sys},
 * {@code io.jpair.tuntap}, {@code io.jpair.udp} or {@code io.jpair.host}.
 */
package io.jpair.neighbour;
