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
 * <p>Depends on {@code io.jpair.ip}, {@code io.jpair.ethernet} (byte order) and
 * {@code io.jpair.wire}; never on
 * {@code io.jpair.sys} or {@code io.jpair.tuntap}.
 */
package io.jpair.udp;
