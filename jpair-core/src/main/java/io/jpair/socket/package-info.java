/**
 * Kernel sockets on jpair's reactor (Twisted's {@code reactor.listenTCP}/{@code connectTCP} and
 * {@code listenUDP}): the same {@link io.jpair.stream.Protocol} that runs on jpair's userspace TCP
 * runs unchanged on a kernel TCP socket, and the same {@link io.jpair.udp.DatagramProtocol} that
 * runs on jpair's userspace UDP runs unchanged on a kernel UDP socket.
 *
 * <pre>{@code
 * final class Echo extends Protocol {
 *     @Override
 *     public void dataReceived(ByteBuffer data) {
 *         transport().write(data);
 *     }
 * }
 *
 * try (EpollReactor reactor = new EpollReactor()) {
 *     TcpPort server = TcpPort.listenTcp(reactor, 7000, peer -> new Echo());
 *     TcpConnector.connectTcp(reactor, new InetSocketAddress("127.0.0.1", 7000), peer -> new Echo(),
 *             Duration.ofSeconds(5))
 *         .thenAccept(client -> client.transport().write("hello".getBytes(US_ASCII)));
 *     reactor.run();
 * }
 * }</pre>
 *
 * <p>{@link io.jpair.socket.TcpPort} accepts, {@link io.jpair.socket.TcpConnector} connects,
 * and both hand each connection to a {@link io.jpair.socket.TcpSocketTransport}: Twisted's buffered
 * {@code FileDescriptor} over a non-blocking socket, with {@code TCP_NODELAY} on, half close,
 * abortive close (RST) and producer flow control. IPv4 and IPv6. Everything runs on the reactor
 * thread; no exception escapes it and no fd outlives its owner. Depends on {@code io.jpair.stream},
 * {@code io.jpair.transport}, {@code io.jpair.reactor} and the internal {@code io.jpair.sys}.
 *
 * <p>{@link io.jpair.socket.UdpPort} is a UDP socket with {@code recvmmsg}/{@code sendmmsg}
 * batching and UDP GSO/GRO ({@link io.jpair.socket.UdpOptions},
 * {@link io.jpair.socket.SegmentedDatagramReceiver}). Its system calls go through
 * {@link io.jpair.socket.UdpSystem}, so {@code io.jpair.testing.MemoryUdpSystem} can stand in for
 * the kernel.
 */
package io.jpair.socket;
