package io.jpair.examples;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;   // AssertJ (org.assertj:assertj-core), with JUnit 5

import io.jpair.host.IpHost;
import io.jpair.ip.Ipv4Header;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.Packets;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.UdpHeader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EchoHost's Echo on an in-memory TUN device: no root, no device, no threads, no sleeping. */
class EchoTest {
    @Test
    void echoSendsTheDatagramBackToItsSender() throws Exception {
        MemoryIOSystem system = new MemoryIOSystem();   // an in-memory /dev/net/tun
        MemoryReactor reactor = new MemoryReactor();    // readiness and time by hand
        IpHost host = IpHost.onTun().address("10.0.0.2/24").udp(7, new EchoHost.Echo());
        TuntapPort port = new TuntapPort("tun0", host.protocol(), TunnelOptions.defaults(), reactor, system);
        port.startListening();                          // opens the in-memory device
        byte[] query = "hello".getBytes(US_ASCII);
        system.getTunnel(port).addToReadBuffer(Packets.ipv4Udp("10.0.0.1", 5353, "10.0.0.2", 7, query));
        reactor.fireReadable();                         // the port reads, your protocol sees the packet

        List<byte[]> written = system.getTunnel(port).writeBuffer();   // what your protocol wrote back
        assertThat(written).hasSize(1);
        ByteBuffer reply = ByteBuffer.wrap(written.getFirst());
        Ipv4Header ip = new Ipv4Header().wrap(reply, 0);               // header flyweights read it in place
        UdpHeader udp = new UdpHeader().wrap(reply, ip.headerLength());
        assertThat(Ipv4Header.toInetAddress(ip.source())).isEqualTo(InetAddress.ofLiteral("10.0.0.2"));
        assertThat(Ipv4Header.toInetAddress(ip.destination())).isEqualTo(InetAddress.ofLiteral("10.0.0.1"));
        assertThat(udp.sourcePort()).isEqualTo(7);
        assertThat(udp.destinationPort()).isEqualTo(5353);
        assertThat(udp.length()).isEqualTo(UdpHeader.LENGTH + query.length);
        assertThat(reply.slice(ip.headerLength() + UdpHeader.LENGTH, query.length)).isEqualTo(ByteBuffer.wrap(query));
    }
}
