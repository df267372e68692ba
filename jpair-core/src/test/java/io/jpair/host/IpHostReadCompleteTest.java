package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.ethernet.MacAddress;
import io.jpair.ip.IpPacket;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The end of a port's read batch travels up the stack (Netty's {@code channelReadComplete} through
 * a pipeline): every UDP protocol that received a datagram in the batch hears it once; one that
 * received nothing does not.
 */
class IpHostReadCompleteTest {
    private static final byte[] PAYLOAD = {1, 2, 3};

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();

    /** Counts datagrams and batch ends. */
    private static final class Counting extends DatagramProtocol {
        int datagrams;
        int completes;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket packet, int sourcePort) {
            datagrams++;
        }

        @Override
        public void readComplete() {
            completes++;
        }
    }

    @Test
    void aTunBatchOfThreeDatagramsEndsOnceForTheProtocolThatGotThem() throws Exception {
        Counting seven = new Counting();
        Counting nine = new Counting();
        IpHost host = IpHost.onTun().address("10.77.0.2/24").udp(7, seven).udp(9, nine);
        TuntapPort port = host.listen("jt0", reactor, system);
        MemoryTunnel tunnel = system.getTunnel(port);
        for (int i = 0; i < 3; i++) {
            tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", 40000 + i, "10.77.0.2", 7, PAYLOAD));
        }
        reactor.fireReadable();

        assertThat(seven.datagrams).isEqualTo(3);
        assertThat(seven.completes).isEqualTo(1);
        assertThat(nine.completes).as("received nothing in the batch").isZero();
    }

    @Test
    void eachBatchEndsSeparately() throws Exception {
        Counting seven = new Counting();
        IpHost host = IpHost.onTun().address("10.77.0.2/24").udp(7, seven);
        MemoryTunnel tunnel = system.getTunnel(host.listen("jt0", reactor, system));
        tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 7, PAYLOAD));
        reactor.fireReadable();
        tunnel.readBuffer().add(Packets.ipv4Udp("10.77.0.1", 40000, "10.77.0.2", 7, PAYLOAD));
        reactor.fireReadable();

        assertThat(seven.completes).isEqualTo(2);
    }

    @Test
    void aTapBatchEndsThroughEthernetAndIp() throws Exception {
        Counting seven = new Counting();
        MacAddress mac = MacAddress.parse("02:00:00:77:00:02");
        IpHost host = IpHost.onTap(mac).address("10.77.1.2/24").udp(7, seven);
        MemoryTunnel tunnel = system.getTunnel(host.listen("jtap0", reactor, system));
        byte[] ip = Packets.ipv4Udp("10.77.1.1", 40000, "10.77.1.2", 7, PAYLOAD);
        byte[] frame = Packets.ethernet(new byte[] {2, 0, 0, 0x77, 0, 1}, new byte[] {2, 0, 0, 0x77, 0, 2}, 0x0800, ip);
        tunnel.readBuffer().add(frame);
        tunnel.readBuffer().add(frame);
        reactor.fireReadable();

        assertThat(seven.datagrams).isEqualTo(2);
        assertThat(seven.completes).isEqualTo(1);
    }
}
