package io.jpair.examples.tunnel;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * On the TUN channel: each packet the kernel routed into the tunnel becomes one UDP datagram to
 * the peer, flushed once per read batch. The packet's buffer travels on unchanged (no copy); when
 * the UDP channel is over its write-buffer high-water mark the packet is dropped instead, as a
 * router drops on a full queue: IP recovers from loss, not from unbounded memory.
 */
public final class TunToUdp extends ChannelInboundHandlerAdapter {
    private final Channel udp;
    private final InetSocketAddress peer;
    private long dropped;

    /**
     * A handler sending into {@code udp}.
     *
     * @param udp the UDP channel, on the same event loop as the TUN channel
     * @param peer the other end of the tunnel
     */
    public TunToUdp(Channel udp, InetSocketAddress peer) {
        this.udp = udp;
        this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf packet = (ByteBuf) msg;
        if (!udp.isWritable()) {
            dropped++;
            packet.release();
            return;
        }
        udp.write(new DatagramPacket(packet, peer), udp.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        udp.flush();
    }

    /**
     * Packets dropped because the UDP channel was not writable.
     *
     * @return the count
     */
    public long dropped() {
        return dropped;
    }
}
