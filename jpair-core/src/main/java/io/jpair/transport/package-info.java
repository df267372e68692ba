/**
 * Transports and the contracts protocols see: {@link io.jpair.transport.FileDescriptor} (an fd
 * owned by one object, buffered writes, producer flow control), ports
 * ({@link io.jpair.transport.ListeningPort}, {@link io.jpair.transport.BasePort}), and the packet
 * protocol interfaces ({@link io.jpair.transport.PacketProtocol},
 * {@link io.jpair.transport.RawPacketProtocol}, {@link io.jpair.transport.FrameProtocol},
 * {@link io.jpair.transport.PacketTransport}).
 *
 * <p>Twisted names without the {@code I}: {@code IConsumer} is
 * {@link io.jpair.transport.DataConsumer}, {@code IProducer}/{@code IPushProducer}/
 * {@code IPullProducer} are {@link io.jpair.transport.Producer}/
 * {@link io.jpair.transport.PushProducer}/{@link io.jpair.transport.PullProducer},
 * {@code IListeningPort} is {@link io.jpair.transport.ListeningPort}, {@code CannotListenError} is
 * {@link io.jpair.transport.CannotListenException}. Depends on {@code io.jpair.reactor}.
 */
package io.jpair.transport;
