/**
 * Ethernet II (Twisted's {@code twisted.pair.ethernet}) and ARP: the {@link io.jpair.ethernet.MacAddress}
 * value type and its 48-bit {@code long} helpers, the zero-copy views
 * {@link io.jpair.ethernet.EthernetHeader} (with an 802.1Q tag) and {@link io.jpair.ethernet.ArpPacket},
 * the EtherType demultiplexer {@link io.jpair.ethernet.EthernetProtocol}, and the ARP
 * responder/resolver {@link io.jpair.ethernet.ArpProtocol} with its {@link io.jpair.ethernet.NeighbourTable}.
 *
 * <p>Receive paths allocate nothing per frame: views are fields retargeted per frame, demux tables
 * are arrays, and drops are counted per reason in {@code long[]} counters. Inbound buffers are
 * borrowed for the call only.
 *
 * <p>Depends on {@code io.jpair.transport} and {@code io.jpair.reactor} (for time); never on
 * {@code io.jpair.sys}, {@code io.jpair.tuntap} or the layers above ({@code ip}, {@code udp}).
 */
package io.jpair.ethernet;
