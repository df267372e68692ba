package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link TuntapPort} on the in-memory system: the Twisted contract for TUN and TAP, and construction. */
class TuntapPortTest {
    @Nested
    class OnTun extends TuntapPortContract {
        @Override
        AbstractPacketProtocol newProtocol() {
            return new RecordingIpProtocol();
        }

        @Override
        List<byte[]> received() {
            return ((RecordingIpProtocol) protocol).received;
        }

        @Override
        TunnelFlags type() {
            return TunnelFlags.IFF_TUN;
        }

        @Test
        void tunPortFeedsARawPacketProtocolWithTheEtherTypeOfTheIpVersion() throws Exception {
            List<Integer> etherTypes = new ArrayList<>();
            port = new TuntapPort("tun0", new EtherTypeRecorder(etherTypes), TunnelOptions.defaults(), reactor, system);
            MemoryTunnel tunnel = started();
            tunnel.addToReadBuffer(Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, new byte[8]));
            byte[] ipv6 = new byte[40];
            ipv6[0] = 0x60;
            tunnel.addToReadBuffer(ipv6);
            port.doRead();
            // Unlike Twisted, whose TUN port passed too few arguments for IPProtocol.
            assertThat(etherTypes).containsExactly(0x0800, 0x86DD);
        }
    }

    @Nested
    class OnTap extends TuntapPortContract {
        @Override
        AbstractPacketProtocol newProtocol() {
            return new RecordingFrameProtocol();
        }

        @Override
        List<byte[]> received() {
            return ((RecordingFrameProtocol) protocol).received;
        }

        @Override
        TunnelFlags type() {
            return TunnelFlags.IFF_TAP;
        }

        @Test
        void tapPortDeliversWholeEthernetFrames() throws Exception {
            MemoryTunnel tunnel = started();
            byte[] ip = Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.PROTO_UDP, new byte[8]);
            tunnel.addToReadBuffer(ip);
            port.doRead();
            assertThat(received()).singleElement()
                .satisfies(frame -> assertThat(Packets.etherTypeOfFrame(frame)).isEqualTo(0x0800))
                .satisfies(frame -> assertThat(frame).hasSize(14 + ip.length));
        }
    }

    @Test
    void theDefaultSystemIsTheRealOne() {
        TuntapPort port = new TuntapPort("tun0", new RecordingIpProtocol(), new MemoryReactor());
        assertThat(port.system()).isSameAs(RealIOSystem.INSTANCE);
    }

    @Test
    void aProtocolOfNeitherKindIsRejected() {
        AbstractPacketProtocol neither = new AbstractPacketProtocol() {
            @Override
            public void datagramReceived(ByteBuffer packet) {
            }
        };
        assertThatThrownBy(() -> new TuntapPort("tun0", neither, new MemoryReactor()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must implement RawPacketProtocol (for a TUN device) or FrameProtocol (for a TAP device)");
    }

    @Test
    void interfaceNamesLongerThanFifteenBytesAreRejected() {
        assertThatThrownBy(() -> new TuntapPort("abcdefghijklmnop", new RecordingIpProtocol(), new MemoryReactor()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 15 characters");
    }

    @Test
    void interfaceNamesWithSlashesOrSpacesAreRejected() {
        assertThatThrownBy(() -> new TuntapPort("tun/0", new RecordingIpProtocol(), new MemoryReactor()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no '/'");
        assertThatThrownBy(() -> new TuntapPort("tun 0", new RecordingIpProtocol(), new MemoryReactor()))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getHostBeforeStartNamesTheRequestedDevice() {
        TuntapPort port = new TuntapPort("tun%d", new RecordingIpProtocol(), TunnelOptions.defaults(),
            new MemoryReactor(), new MemoryIOSystem());
        assertThat(port.getHost()).isEqualTo(new TunnelAddress(TunnelFlags.IFF_TUN, "tun%d"));
    }

    /** Records the EtherType the port's TUN path reports. */
    static final class EtherTypeRecorder extends AbstractPacketProtocol implements RawPacketProtocol {
        private final List<Integer> etherTypes;

        EtherTypeRecorder(List<Integer> etherTypes) {
            this.etherTypes = etherTypes;
        }

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            etherTypes.add(etherType);
        }
    }
}
