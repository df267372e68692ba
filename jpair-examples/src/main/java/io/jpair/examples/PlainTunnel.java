package io.jpair.examples;

import io.jpair.ip.IpPacket;
import io.jpair.reactor.EpollReactor;
import io.jpair.socket.UdpOptions;
import io.jpair.socket.UdpPort;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.udp.DatagramProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** IP over UDP, unencrypted: packets routed into a TUN device go to a peer, its datagrams come back in. */
final class PlainTunnel {
    /** Device to peer: one datagram per packet, all of one read batch sent together. */
    static final class ToPeer extends AbstractPacketProtocol implements RawPacketProtocol {
        UdpPort udp;

        @Override
        public void datagramReceived(ByteBuffer packet, long destinationMac, long sourceMac, int etherType) {
            udp.write(packet);                         // held (explicit flush): copied, not sent yet
        }

        @Override
        public void readComplete() {
            udp.flush();                               // the batch leaves in one sendmmsg
        }
    }

    /** Peer to device: each datagram is an IP packet; one recvmmsg batch enters the device together. */
    static final class FromPeer extends DatagramProtocol {
        TuntapPort tun;

        @Override
        public void datagramReceived(ByteBuffer payload, IpPacket source, int sourcePort) {
            try {
                tun.write(payload);                    // held until flush: TCP segments coalesce (GRO)
            } catch (IOException e) {
                throw new UncheckedIOException(e);     // counted and logged by the socket, which reads on
            }
        }

        @Override
        public void readComplete() {
            tun.flush();
        }
    }

    public static void main(String[] args) throws Exception {   // DEVICE LOCAL_IP LOCAL_PORT PEER_IP PEER_PORT
        ToPeer toPeer = new ToPeer();
        FromPeer fromPeer = new FromPeer();
        try (EpollReactor reactor = new EpollReactor()) {
            fromPeer.tun = new TuntapPort(args[0], toPeer, TunnelOptions.defaults(),
                OffloadOptions.enabled().withExplicitFlush(true), reactor, null);   // IFF_VNET_HDR, TSO/GRO
            toPeer.udp = UdpPort.listen(reactor, Integer.parseInt(args[2]), fromPeer, args[1],
                UdpOptions.defaults().withExplicitFlush(true));
            toPeer.udp.connect(new InetSocketAddress(args[3], Integer.parseInt(args[4])));   // only its datagrams
            fromPeer.tun.startListening();
            System.out.println("tunnel " + fromPeer.tun.getHost() + " <-> " + toPeer.udp.getPeer());
            reactor.run();
        }
    }
}
