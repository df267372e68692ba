package io.jpair.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link TunToUdp} between two in-memory channels: the TUN side in, the UDP side out. */
class TunToUdpTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 5555);

    private final EmbeddedChannel udp = new EmbeddedChannel();
    private final TunToUdp handler = new TunToUdp(udp, PEER);
    private final EmbeddedChannel tun = new EmbeddedChannel(handler);

    @AfterEach
    void finish() {
        tun.finishAndReleaseAll();
        udp.finishAndReleaseAll();
    }

    @Test
    void eachPacketBecomesOneDatagramToThePeerCarryingTheSameBuffer() {
        ByteBuf packet = Unpooled.copiedBuffer(new byte[] {0x45, 0, 0, 20});
        tun.writeInbound(packet);

        DatagramPacket datagram = udp.readOutbound();
        assertThat(datagram.recipient()).isEqualTo(PEER);
        assertThat(datagram.content()).isSameAs(packet);
        assertThat(packet.refCnt()).isOne();
        datagram.release();
        assertThat(packet.refCnt()).isZero();
    }

    @Test
    void aReadBatchIsFlushedOnceAtReadComplete() {
        int[] flushes = {0};
        udp.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes[0]++;
                ctx.flush();
            }
        });
        tun.pipeline().fireChannelRead(Unpooled.copiedBuffer(new byte[] {1}));
        tun.pipeline().fireChannelRead(Unpooled.copiedBuffer(new byte[] {2}));
        assertThat(flushes[0]).isZero();
        tun.pipeline().fireChannelReadComplete();
        assertThat(flushes[0]).isOne();
        assertThat(udp.outboundMessages()).hasSize(2);
    }

    @Test
    void packetsAreDroppedAndReleasedWhileTheUdpChannelIsUnwritable() {
        udp.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        udp.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // Holds every write: the UDP socket's buffer is "full".
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
            }
        });
        udp.write(Unpooled.copiedBuffer(new byte[16]));
        assertThat(udp.isWritable()).isFalse();

        ByteBuf packet = Unpooled.copiedBuffer(new byte[] {0x45});
        tun.writeInbound(packet);
        assertThat(packet.refCnt()).isZero();
        assertThat(handler.dropped()).isOne();
    }
}
