/**
 * Ethernet II (Twisted's {@code twisted.pair.ethernet}): the {@link io.jpair.ethernet.MacAddress}
 * value type and its 48-bit {@code long} form, the zero-copy view
 * {@link io.jpair.ethernet.EthernetHeader} (with an 802.1Q tag) and the EtherType demultiplexer
 * {@link io.jpair.ethernet.EthernetProtocol}. ARP and the Ethernet link of the IP layer live in
 * {@code io.jpair.neighbour}, which sits on top of this package and {@code io.jpair.ip}.
 *
 * <p>Receive paths allocate nothing per frame: views are fields retargeted per frame, the demux
 * table is an array ({@link io.jpair.wire.DemuxTable}), and drops are counted per reason
 * ({@link io.jpair.wire.DropCounter}). Inbound buffers are borrowed for the call only.
 *
 * <p>Depends on {@code io.jpair.wire} and {@code io.jpair.transport}; never on {@code io.jpair.sys},
 * {@code io.jpair.tuntap} or the layers above ({@code ip}, {@code neighbour}, {@code udp}).
 */
package io.jpair.ethernet;
