/**
 * Kernel sockets on jpair's reactor (Twisted's {@code reactor.listenUDP}):
 * {@link io.jpair.socket.UdpPort}, a UDP socket that runs the same
 * {@link io.jpair.udp.DatagramProtocol} as jpair's own stack, with {@code recvmmsg}/{@code sendmmsg}
 * batching and UDP GSO/GRO ({@link io.jpair.socket.UdpOptions},
 * {@link io.jpair.socket.SegmentedDatagramReceiver}). The system calls go through
 * {@link io.jpair.socket.UdpSystem}, so {@code io.jpair.testing.MemoryUdpSystem} can stand in for
 * the kernel.
 */
package io.jpair.socket;
