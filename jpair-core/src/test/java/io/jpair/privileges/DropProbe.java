package io.jpair.privileges;

import io.jpair.reactor.EpollReactor;
import io.jpair.transport.AbstractPacketProtocol;
import io.jpair.transport.CannotListenException;
import io.jpair.transport.RawPacketProtocol;
import io.jpair.tuntap.TuntapPort;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Run as root in a child JVM by {@link PrivilegesKernelTest}: opens a TUN port, drops to
 * {@code nobody}, and shows that the port still receives while new devices are refused.
 */
public final class DropProbe {
    private DropProbe() {
    }

    /**
     * Entry point.
     *
     * @param args unused
     * @throws Exception on any failure (exit status 1)
     */
    public static void main(String[] args) throws Exception {
        int[] received = new int[1];
        try (EpollReactor reactor = new EpollReactor()) {
            TuntapPort port = new TuntapPort("jdrop0", new Counter(received), reactor);
            port.startListening();
            run("ip", "addr", "add", "10.78.0.1/24", "dev", "jdrop0");
            run("ip", "link", "set", "jdrop0", "up");

            Privileges.Identity identity = Privileges.dropTo("nobody");
            System.out.println("DROPPED uid=" + identity.uid() + " " + Capabilities.current());
            System.out.println("THIS-THREAD " + boundingAndNoNewPrivs());
            String[] later = new String[1];
            Thread thread = new Thread(() -> later[0] = boundingAndNoNewPrivs());
            thread.start();
            thread.join();
            System.out.println("LATER-THREAD " + later[0]);

            try {
                new TuntapPort("jdrop1", new Counter(new int[1]), reactor).startListening();
                System.out.println("NEWDEVICE opened (unexpected)");
            } catch (CannotListenException e) {
                System.out.println("NEWDEVICE refused: " + e.getMessage());
            }
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.78.0.1"), 0))) {
                socket.send(new DatagramPacket(new byte[] {1}, 1,
                    new InetSocketAddress(InetAddress.ofLiteral("10.78.0.2"), 9)));
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (received[0] == 0 && System.nanoTime() < deadline) {
                reactor.runOnce(50_000_000L);
            }
            System.out.println("RECEIVED " + received[0]);
        }
    }

    /** This thread's bounding set and no-new-privileges flag, from /proc/thread-self/status. */
    private static String boundingAndNoNewPrivs() {
        String noNewPrivs = "?";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("NoNewPrivs:")) {
                    noNewPrivs = line.substring("NoNewPrivs:".length()).strip();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return String.format("CapBnd=%016x NoNewPrivs=%s", Capabilities.current().bounding(), noNewPrivs);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Counts packets. */
    static final class Counter extends AbstractPacketProtocol implements RawPacketProtocol {
        private final int[] count;

        Counter(int[] count) {
            this.count = count;
        }

        @Override
        public void datagramReceived(ByteBuffer packet, long destination, long source, int etherType) {
            count[0]++;
        }
    }
}
