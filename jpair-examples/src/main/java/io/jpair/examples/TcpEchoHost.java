package io.jpair.examples;

import io.jpair.host.IpHost;
import io.jpair.netlink.RtNetlink;
import io.jpair.reactor.EpollReactor;
import io.jpair.socket.TcpPort;
import io.jpair.stream.Protocol;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** One stream protocol, two TCPs: jpair's own on a TUN device (port 7) and the kernel's (port 7007). */
final class TcpEchoHost {
    /** Writes back what it reads; by default it closes once the peer has closed and the echo is sent. */
    static final class Echo extends Protocol {
        @Override
        public void dataReceived(ByteBuffer data) {
            transport().write(data);                   // copied: data is only lent for this call
        }
    }

    public static void main(String[] args) throws Exception {
        String device = args.length > 0 ? args[0] : "jtun7";
        try (EpollReactor reactor = new EpollReactor(); RtNetlink rtnl = RtNetlink.open()) {
            IpHost host = IpHost.onTun().address("10.78.1.2/24")
                .listenTcp(7, peer -> new Echo());     // jpair's userspace TCP, behind the TUN
            host.listen(device, reactor);
            rtnl.addAddress(device, InetAddress.ofLiteral("10.78.1.1"), 24);   // the kernel's side of the link
            rtnl.setLinkUp(device, true);
            TcpPort kernel = TcpPort.listenTcp(reactor, 7007, peer -> new Echo());   // the kernel's TCP
            System.out.println("echoing on 10.78.1.2:7 (jpair TCP on " + device + ") and " + kernel.getHost()
                + " (kernel TCP)");
            reactor.run();                             // until reactor.stop(), or Ctrl-C
        }
    }
}
