package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.ReadableClasspath;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import io.jpair.testing.Packets;
import io.jpair.transport.CannotListenException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link TuntapPort} on real TUN/TAP devices in this run's private network namespace. */
@KernelTest
class TuntapPortKernelTest {
    private static final int NOBODY = 65534;
    private EpollReactor reactor;
    private final List<TuntapPort> ports = new ArrayList<>();

    @BeforeEach
    void createReactor() throws Exception {
        reactor = new EpollReactor();
    }

    @AfterEach
    void stopPortsAndCloseReactor() {
        for (TuntapPort port : ports) {
            port.stopListening();
        }
        reactor.runOnce(0);
        reactor.close();
    }

    private TuntapPort listening(String name, io.jpair.transport.PacketProtocol protocol, TunnelOptions options)
            throws CannotListenException {
        TuntapPort port = new TuntapPort(name, protocol, options, reactor, null);
        port.startListening();
        ports.add(port);
        return port;
    }

    /** Runs the reactor until the condition holds, for at most five seconds. */
    private boolean runUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            reactor.runOnce(50_000_000L);
        }
        return condition.getAsBoolean();
    }

    @Test
    void theKernelReportsItsTunFeatures() throws Exception {
        TunnelFlags features = TunnelFeatures.probe(RealIOSystem.INSTANCE);
        assertThat(features.contains(TunnelFlags.IFF_TUN.or(TunnelFlags.IFF_TAP).or(TunnelFlags.IFF_NO_PI)
            .or(TunnelFlags.IFF_VNET_HDR).or(TunnelFlags.IFF_MULTI_QUEUE).or(TunnelFlags.IFF_NAPI)))
            .as("features %s", features).isTrue();
    }

    @Test
    void kernelCompletesANamePattern() throws Exception {
        TuntapPort port = listening("jp%d", new RecordingIpProtocol(), TunnelOptions.defaults());
        assertThat(port.interfaceName()).isEqualTo("jp0");
        assertThat(port.getHost()).isEqualTo(new TunnelAddress(TunnelFlags.IFF_TUN, "jp0"));
        assertThat(Shell.ip("-o", "link", "show", "jp0")).contains("jp0");
    }

    @Test
    void tunPortReceivesTheDatagramsAKernelSocketSendsIntoIt() throws Exception {
        RecordingIpProtocol protocol = new RecordingIpProtocol();
        TuntapPort port = listening("jrx0", protocol, TunnelOptions.defaults());
        Shell.ip("addr", "add", "10.73.0.1/24", "dev", port.interfaceName());
        Shell.ip("link", "set", port.interfaceName(), "up");
        List<byte[]> sent = new ArrayList<>();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.73.0.1"), 0))) {
            for (int i = 0; i < 100; i++) {
                byte[] payload = ("datagram " + i + " " + "x".repeat(i * 7)).getBytes(StandardCharsets.US_ASCII);
                sent.add(payload);
                socket.send(new DatagramPacket(payload, payload.length,
                    new InetSocketAddress(InetAddress.ofLiteral("10.73.0.2"), 9999)));
            }
        }
        List<byte[]> received = new ArrayList<>();
        runUntil(() -> {
            received.clear();
            for (byte[] packet : protocol.received) {
                byte[] payload = Packets.udpPayloadTo(packet, 9999, 0, false);
                if (payload != null) {
                    received.add(payload);
                }
            }
            return received.size() >= sent.size();
        });
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(port.counters().packetsRead()).isGreaterThanOrEqualTo(100);
    }

    @Test
    void tunPortWritesAPacketAKernelSocketReceives() throws Exception {
        TuntapPort port = listening("jtx0", new RecordingIpProtocol(), TunnelOptions.defaults());
        Shell.ip("addr", "add", "10.74.0.1/24", "dev", port.interfaceName());
        Shell.ip("link", "set", port.interfaceName(), "up");
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.74.0.1"), 7000))) {
            socket.setSoTimeout(5000);
            byte[] payload = "written by jpair".getBytes(StandardCharsets.US_ASCII);
            byte[] packet = Packets.ipv4Udp("10.74.0.2", 5000, "10.74.0.1", 7000, payload);
            assertThat(port.write(packet)).isEqualTo(packet.length);
            byte[] buffer = new byte[2048];
            DatagramPacket received = new DatagramPacket(buffer, buffer.length);
            socket.receive(received);
            assertThat(Arrays.copyOf(buffer, received.getLength())).isEqualTo(payload);
            assertThat(((InetSocketAddress) received.getSocketAddress()).getPort()).isEqualTo(5000);
        }
    }

    @Test
    void tapPortReceivesTheKernelsArpRequest() throws Exception {
        RecordingFrameProtocol protocol = new RecordingFrameProtocol();
        TuntapPort port = listening("jarp0", protocol, TunnelOptions.defaults());
        Shell.ip("addr", "add", "10.75.0.1/24", "dev", port.interfaceName());
        Shell.ip("link", "set", port.interfaceName(), "up");
        try (DatagramSocket socket = new DatagramSocket()) {
            // Sending to an unresolved neighbour makes the kernel ask for its MAC.
            socket.send(new DatagramPacket(new byte[1], 1, new InetSocketAddress(InetAddress.ofLiteral("10.75.0.2"), 9)));
        }
        byte[] target = Packets.address("10.75.0.2", 4);
        assertThat(runUntil(() -> protocol.received.stream().anyMatch(frame -> isArpRequestFor(frame, target))))
            .as("an ARP request for 10.75.0.2 arrived").isTrue();
        byte[] request = protocol.received.stream().filter(frame -> isArpRequestFor(frame, target)).findFirst()
            .orElseThrow();
        assertThat(Arrays.copyOfRange(request, 0, 6)).containsOnly(-1);
        assertThat(Arrays.copyOfRange(request, 14 + 14, 14 + 18)).isEqualTo(Packets.address("10.75.0.1", 4));
    }

    private static boolean isArpRequestFor(byte[] frame, byte[] targetIp) {
        return frame.length >= 42 && Packets.etherTypeOfFrame(frame) == Packets.ETHERTYPE_ARP
            && frame[14 + 6] == 0 && frame[14 + 7] == 1
            && Arrays.equals(Arrays.copyOfRange(frame, 14 + 24, 14 + 28), targetIp);
    }

    @Test
    void deletingTheDeviceUnderneathDisconnectsThatPortAndTheReactorServesTheOthers() throws Exception {
        List<Throwable> reasons = new ArrayList<>();
        List<Integer> closes = new ArrayList<>();
        IOSystem countingCloses = new ForwardingIOSystem(RealIOSystem.INSTANCE) {
            @Override
            public int close(int fd) {
                closes.add(fd);
                return super.close(fd);
            }
        };
        TuntapPort doomed = new TuntapPort("jdel0", new RecordingIpProtocol(), TunnelOptions.defaults(), reactor,
                countingCloses) {
            @Override
            public void connectionLost(Throwable reason) {
                reasons.add(reason);
                super.connectionLost(reason);
            }
        };
        doomed.startListening();
        ports.add(doomed);
        RecordingIpProtocol survivorProtocol = new RecordingIpProtocol();
        TuntapPort survivor = listening("jsurv0", survivorProtocol, TunnelOptions.defaults());
        Shell.ip("addr", "add", "10.76.0.1/24", "dev", "jsurv0");
        Shell.ip("link", "set", "jsurv0", "up");
        int doomedFd = doomed.fileno();

        Shell.ip("link", "del", "jdel0");
        assertThat(runUntil(() -> !reasons.isEmpty())).as("connectionLost was called").isTrue();
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).isInstanceOf(io.jpair.errno.ErrnoException.class)
            .hasMessageContaining("jdel0: read: EBADFD").hasMessageContaining("deleted");
        assertThat(doomed.fileno()).isEqualTo(-1);
        doomed.stopListening();
        reactor.runOnce(0);
        assertThat(closes).containsExactly(doomedFd);

        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("10.76.0.1"), 0))) {
            socket.send(new DatagramPacket(new byte[] {7}, 1, new InetSocketAddress(InetAddress.ofLiteral("10.76.0.2"), 9)));
        }
        assertThat(runUntil(() -> survivorProtocol.received.stream()
            .anyMatch(packet -> Packets.udpPayloadTo(packet, 9, 0, false) != null))).isTrue();
        assertThat(reasons).hasSize(1);
    }

    @Test
    void exclusiveOpenOfAnExistingNameFailsWithEbusy() throws Exception {
        listening("jex0", new RecordingIpProtocol(), TunnelOptions.defaults());
        TuntapPort second = new TuntapPort("jex0", new RecordingIpProtocol(),
            TunnelOptions.defaults().withExclusive(true), reactor, null);
        assertThatThrownBy(second::startListening).isInstanceOf(CannotListenException.class)
            .hasMessage("Couldn't listen on jex0: jex0: ioctl(TUNSETIFF): EBUSY (Device or resource busy): the device"
                + " exists and is busy (IFF_TUN_EXCL asked for a new one, or another process holds it and it is not"
                + " multi-queue)");
        assertThat(second.fileno()).isEqualTo(-1);
    }

    @Test
    void attachingTapToATunDeviceFailsWithEinval() throws Exception {
        TuntapPort tun = listening("jmix0", new RecordingIpProtocol(), TunnelOptions.defaults().withPersist(true));
        tun.stopListening();
        reactor.runOnce(0);
        try {
            TuntapPort tap = new TuntapPort("jmix0", new RecordingFrameProtocol(), reactor);
            assertThatThrownBy(tap::startListening).isInstanceOf(CannotListenException.class)
                .hasMessageContaining("ioctl(TUNSETIFF): EINVAL (Invalid argument): the existing device has another"
                    + " type (TUN vs TAP)");
        } finally {
            Shell.ip("link", "del", "jmix0");
        }
    }

    @Test
    void stopThenRestartOnTheSameName() throws Exception {
        RecordingIpProtocol protocol = new RecordingIpProtocol();
        TuntapPort port = listening("jre0", protocol, TunnelOptions.defaults());
        port.stopListening();
        reactor.runOnce(0);
        assertThat(Shell.run("ip", "link", "show", "jre0").ok()).as("the device left with its fd").isFalse();
        port.startListening();
        assertThat(port.interfaceName()).isEqualTo("jre0");
        assertThat(port.isReading()).isTrue();
        Shell.ip("link", "set", "jre0", "up");
        assertThat(protocol.transport()).isSameAs(port);
    }

    @Test
    void noFdLeaksOverAThousandOpenCloseCycles() throws Exception {
        TuntapPort keeper = listening("jleak0", new RecordingIpProtocol(), TunnelOptions.defaults().withPersist(true));
        keeper.stopListening();
        reactor.runOnce(0);
        try {
            // Warm up class loading and linking before counting.
            cycle("jleak0");
            long before = ProcFds.count();
            for (int i = 0; i < 1000; i++) {
                cycle("jleak0");
            }
            for (int i = 0; i < 1000; i++) {
                TuntapPort refused = new TuntapPort("jleak0", new RecordingIpProtocol(),
                    TunnelOptions.defaults().withExclusive(true), reactor, null);
                assertThatThrownBy(refused::startListening).isInstanceOf(CannotListenException.class);
            }
            assertThat(ProcFds.count()).isEqualTo(before);
        } finally {
            Shell.ip("link", "del", "jleak0");
        }
    }

    private void cycle(String name) throws CannotListenException {
        TuntapPort port = new TuntapPort(name, new RecordingIpProtocol(), reactor);
        port.startListening();
        port.stopListening();
        reactor.runOnce(0);
    }

    @Test
    void anUnprivilegedUserGetsAClearEpermAndAttachesToADeviceItOwns() throws Exception {
        TuntapPort owned = listening("jown0", new RecordingIpProtocol(),
            TunnelOptions.defaults().withPersist(true).withOwner(NOBODY));
        owned.stopListening();
        reactor.runOnce(0);
        try {
            assertThat(asNobody("jnew0")).startsWith("FAILED Couldn't listen on jnew0: jnew0: ioctl(TUNSETIFF): EPERM"
                + " (Operation not permitted): needs CAP_NET_ADMIN or a device owned by this user");
            assertThat(asNobody("jown0")).isEqualTo("OK jown0");
        } finally {
            Shell.ip("link", "del", "jown0");
        }
    }

    /**
     * Runs {@link AttachProbe} as {@code nobody} with no capabilities, in this network namespace
     * and in a private mount namespace where {@code /dev/net/tun} is a 0666 node (the host's is
     * often 0600; it is left untouched).
     */
    private static String asNobody(String device) {
        try (ReadableClasspath copy = ReadableClasspath.copy()) {
            Path node = copy.dir().resolve("tun");
            Shell.check("mknod", "-m", "666", node.toString(), "c", "10", "200");
            String java = ProcessHandle.current().info().command().orElse("java");
            String script = "mount --bind " + node + " /dev/net/tun && exec setpriv --reuid=" + NOBODY + " --regid="
                + NOBODY + " --clear-groups --inh-caps=-all --bounding-set=-all " + java
                + " --enable-native-access=ALL-UNNAMED -cp " + copy.classpath() + " " + AttachProbe.class.getName()
                + " " + device;
            Shell.Result result = Shell.run(60, "unshare", "--mount", "--", "sh", "-c", script);
            return result.output().lines().filter(line -> line.startsWith("OK ") || line.startsWith("FAILED "))
                .findFirst().orElse("no result: exit " + result.exitCode() + ": " + result.output());
        }
    }
}
