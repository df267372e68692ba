package io.jpair.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The Netty side of {@link CountingProtocol}: counts each packet a {@code TunChannel} reads and
 * releases it (rx), or swaps its IPv4 addresses and ports in place and writes the same buffer back,
 * flushed once per read batch (echo). Event-loop thread only; the counters are read there.
 */
final class PacketCounter extends ChannelInboundHandlerAdapter {
    private final boolean respond;
    long packets;
    long bytes;
    long written;
    long writeErrors;

    PacketCounter(boolean respond) {
        this.respond = respond;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf packet = (ByteBuf) msg;
        packets++;
        bytes += packet.readableBytes();
        if (respond && swapEndpoints(packet)) {
            written++;
            ctx.write(packet, ctx.voidPromise());
        } else {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (respond) {
            ctx.flush();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed write through the void promise lands here; the benchmark counts it.
        writeErrors++;
    }

    /** {@link CountingProtocol#swapEndpoints} on a {@code ByteBuf} (absolute, indices not moved). */
    static boolean swapEndpoints(ByteBuf p) {
        int base = p.readerIndex();
        int length = p.readableBytes();
        if (length < 20 || (p.getByte(base) & 0xF0) != 0x40) {
            return false;
        }
        int source = p.getInt(base + 12);
        p.setInt(base + 12, p.getInt(base + 16));
        p.setInt(base + 16, source);
        int ihl = (p.getByte(base) & 0x0F) * 4;
        int protocol = p.getByte(base + 9) & 0xFF;
        if ((protocol == 17 || protocol == 6) && length >= ihl + 4) {
            short port = p.getShort(base + ihl);
            p.setShort(base + ihl, p.getShort(base + ihl + 2));
            p.setShort(base + ihl + 2, port);
        }
        return true;
    }
}
