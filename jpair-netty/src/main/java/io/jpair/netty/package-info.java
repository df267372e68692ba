/**
 * TUN and TAP devices as Netty channels.
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * TunChannel tun = TunChannel.open("tun%d", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
 *     OffloadOptions.disabled());
 * tun.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
 *     protected void channelRead0(ChannelHandlerContext ctx, ByteBuf packet) {
 *         // one IP packet per message; released by SimpleChannelInboundHandler
 *     }
 * });
 * group.register(tun).sync();      // active at once: reading starts when autoRead is on
 * }</pre>
 *
 * <p>{@link io.jpair.netty.TunChannel} is an {@code AbstractChannel} whose unsafe is both an
 * {@code EpollIoHandle} and an {@code IoUringIoHandle}: Netty's loop waits on the fd, the channel
 * reads each packet into a pooled direct {@code ByteBuf} and writes queued {@code ByteBuf}s with
 * Netty's own {@code FileDescriptor} calls (no copy, no allocation), or through jpair's
 * {@code tuntap.offload} classes when the device carries virtio-net headers.
 */
package io.jpair.netty;
