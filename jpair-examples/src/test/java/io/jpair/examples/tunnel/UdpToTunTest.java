package io.jpair.examples.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link UdpToTun} between two in-memory channels: the UDP side in, the TUN side out. */
class UdpToTunTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("192.0.2.1", 5555);
    private static final InetSocketAddress PEER = new InetSocketAddress("192.0.2.7", 5555);

    private final EmbeddedChannel tun = new EmbeddedChannel();
    private final UdpToTun handler = new UdpToTun(tun, PEER);
    private final EmbeddedChannel udp = new EmbeddedChannel(handler);

    @AfterEach
    void finish() {
        udp.finishAndReleaseAll();
        tun.finishAndReleaseAll();
    }

    @Test
    void aDatagramFromThePeerIsWrittenToTheTunAsItsContent() {
        ByteBuf content = Unpooled.copiedBuffer(new byte[] {0x45, 0, 0, 28});
        udp.writeInbound(new DatagramPacket(content, LOCAL, PEER));

        ByteBuf packet = tun.readOutbound();
        assertThat(packet).isSameAs(content);
        assertThat(packet.refCnt()).isOne();
        packet.release();
    }

    @Test
    void aDatagramFromAnyoneElseIsDroppedAndReleased() {
        ByteBuf content = Unpooled.copiedBuffer(new byte[] {0x45});
        udp.writeInbound(new DatagramPacket(content, LOCAL, new InetSocketAddress("192.0.2.99", 5555)));

        assertThat(tun.outboundMessages()).isEmpty();
        assertThat(content.refCnt()).isZero();
        assertThat(handler.foreign()).isOne();
    }

    @Test
    void anEmptyDatagramIsDroppedAndReleased() {
        ByteBuf content = Unpooled.directBuffer(0);
        udp.writeInbound(new DatagramPacket(content, LOCAL, PEER));

        assertThat(tun.outboundMessages()).isEmpty();
        assertThat(content.refCnt()).isZero();
    }
}
