package io.jpair.examples;

import io.jpair.reactor.EpollReactor;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.TuntapPort;
import java.nio.ByteBuffer;

/** Prints the size and IP version of every packet routed into a TUN device. */
final class Sniffer extends AbstractPacketProtocol implements RawPacketProtocol {
    @Override
    public void datagramReceived(ByteBuffer packet, long destinationMac, long sourceMac, int etherType) {
        // `packet` is a view over reused native memory: valid during this call only; copy what you keep.
        int version = (packet.get(packet.position()) & 0xFF) >>> 4;    // the first nibble: 4 or 6
        System.out.printf("%d bytes, IPv%d%n", packet.remaining(), version);
    }

    public static void main(String[] args) throws Exception {
        String device = args.length > 0 ? args[0] : "tun%d";           // tun%d: the kernel picks tun0, tun1, ...
        try (EpollReactor reactor = new EpollReactor()) {
            TuntapPort port = new TuntapPort(device, new Sniffer(), reactor);   // RawPacketProtocol => TUN
            port.startListening();                     // open /dev/net/tun, TUNSETIFF, start reading
            System.out.println("listening on " + port.getHost());   // <TunnelAddress type=IFF_TUN name='tun0'>
            reactor.run();                             // until reactor.stop(), or Ctrl-C
        }
    }
}
