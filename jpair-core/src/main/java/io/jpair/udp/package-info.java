/**
 * UDP over the jpair IP layer (Twisted's {@code twisted.pair.rawudp}, completed with sending): the
 * header view {@link io.jpair.udp.UdpHeader}, the port demultiplexer
 * {@link io.jpair.udp.RawUDPProtocol}, and the application API: {@link io.jpair.udp.DatagramProtocol}
 * (Twisted's {@code DatagramProtocol}) and its {@link io.jpair.udp.DatagramTransport} for
 * {@code write(payload, destination)}.
 *
 * <p>Receive and reply paths allocate nothing per datagram when the protocol overrides the
 * primitive {@code datagramReceived(ByteBuffer, IpPacket, int)} form.
 *
 * <p>Sending copies a payload once, into the preallocated buffer where the UDP and IP headers
 * are built in place, and hands that buffer down to the IP layer.
 *
 * <p>Depends on {@code io.jpair.ip} and {@code io.jpair.wire} (byte order, checksums, drop
 * counters, the port table); never on {@code io.jpair.ethernet}, {@code io.jpair.neighbour},
 * {@code io.jpair.sys} or {@code io.jpair.tuntap}.
 */
package io.jpair.udp;
