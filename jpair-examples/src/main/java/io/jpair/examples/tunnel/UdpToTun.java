package io.jpair.examples.tunnel;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;

/**
 * On the UDP channel: each datagram from the peer is one IP packet for the TUN channel, flushed
 * once per read batch. Datagrams from anyone else are dropped (and released): the tunnel only
 * speaks to its configured peer.
 */
public final class UdpToTun extends ChannelInboundHandlerAdapter {
    private final Channel tun;
    private final InetSocketAddress peer;
    private long foreign;

    /**
     * A handler writing into {@code tun}.
     *
     * @param tun the TUN channel, on the same event loop as the UDP channel
     * @param peer the only sender accepted
     */
    public UdpToTun(Channel tun, InetSocketAddress peer) {
        this.tun = tun;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket datagram && peer.equals(datagram.sender())
                && datagram.content().isReadable()) {
            tun.write(datagram.content(), tun.voidPromise());
            return;
        }
        foreign++;
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        tun.flush();
    }

    /**
     * Datagrams dropped: from another sender, empty, or not datagrams at all.
     *
     * @return the count
     */
    public long foreign() {
        return foreign;
    }
}
