package io.jpair.examples;

import io.jpair.ethernet.MacAddress;
import io.jpair.host.IpHost;
import io.jpair.netlink.RtNetlink;
import io.jpair.reactor.EpollReactor;
import io.jpair.tuntap.TuntapPort;
import io.jpair.udp.DatagramProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** A host on a TAP device: answers ARP, neighbour discovery, ping and ping -6, and echoes UDP on port 7. */
final class EchoHost {
    /** Sends every datagram back to where it came from. */
    static final class Echo extends DatagramProtocol {
        @Override
        public void datagramReceived(byte[] data, InetSocketAddress source) {
            transport().write(data, source);           // from our address and port to the sender's
        }
    }

    public static void main(String[] args) throws Exception {
        String device = args.length > 0 ? args[0] : "jtap0";
        int port = 7;                                  // the echo service's port (RFC 862)
        try (EpollReactor reactor = new EpollReactor(); RtNetlink rtnl = RtNetlink.open()) {
            IpHost host = IpHost.onTap(MacAddress.parse("02:00:00:77:00:02"))   // or IpHost.onTun()
                .address("10.77.1.2/24").address("fd00:77::2/64")
                .udp(port, new Echo());
            TuntapPort tap = host.listen(device, reactor);   // opens the device and starts the host on it
            rtnl.addAddress(device, InetAddress.ofLiteral("10.77.1.1"), 24);    // the kernel's side of the link,
            rtnl.addAddress(device, InetAddress.ofLiteral("fd00:77::1"), 64);   // in both IP versions
            rtnl.setLinkUp(device, true);
            System.out.println("listening on " + tap.getHost() + ": ping 10.77.1.2 or fd00:77::2, UDP port " + port);
            reactor.run();                             // until reactor.stop(), or Ctrl-C
        }
    }
}
