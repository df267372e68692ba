package io.jpair.examples.tunnel;

import io.jpair.netty.TunChannel;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.offload.OffloadOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An IP-over-UDP tunnel as a Netty pipeline: a {@link TunChannel} and an
 * {@link EpollDatagramChannel} on one event loop; packets from the TUN device go to the peer as
 * datagrams ({@link TunToUdp}), datagrams from the peer go into the device ({@link UdpToTun}).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... io.jpair.examples.tunnel.NettyTunnel DEV LOCAL PEER [SECONDS]
 *   DEV     the TUN device (created, or attached when it exists, e.g. made by ip tuntap add)
 *   LOCAL   host:port the UDP socket binds
 *   PEER    host:port of the other end
 *   SECONDS stop after this long (default: run until killed)
 * </pre>
 */
public final class NettyTunnel {
    private NettyTunnel() {
    }

    /**
     * Runs the tunnel.
     *
     * @param args DEV LOCAL PEER [SECONDS]
     * @throws Exception if the device or the socket cannot be opened
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: NettyTunnel DEV LOCAL-HOST:PORT PEER-HOST:PORT [SECONDS]");
            System.exit(2);
        }
        InetSocketAddress local = address(args[1]);
        InetSocketAddress peer = address(args[2]);
        long seconds = args.length == 4 ? Long.parseLong(args[3]) : 0;

        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            TunChannel tun = TunChannel.open(args[0], TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
                OffloadOptions.disabled());
            Channel udp = new Bootstrap().group(loop).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
                .handler(new UdpToTun(tun, peer))
                .bind(local).sync().channel();
            tun.pipeline().addLast(new TunToUdp(udp, peer));
            loop.register(tun).sync();
            System.out.println("tunnel " + tun.localAddress().name() + ": " + local + " <-> " + peer);

            if (seconds > 0) {
                tun.closeFuture().await(seconds, TimeUnit.SECONDS);
            } else {
                tun.closeFuture().sync();
            }
            udp.close().sync();
            tun.close().sync();
        } finally {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("expected host:port, not '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
