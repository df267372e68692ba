package io.jpair.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.host.IpHost;
import io.jpair.testing.MemoryIOSystem;
import io.jpair.testing.MemoryReactor;
import io.jpair.testing.MemoryTunnel;
import io.jpair.testing.Packets;
import io.jpair.testing.StackPackets;
import io.jpair.tuntap.DeviceCounters;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.offload.OffloadOptions;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The counters as a JMX client sees them, through the platform MBean server, after traffic through
 * the in-memory device and reactor.
 */
class JmxMetricsTest {
    private static final byte[] PAYLOAD = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private final MemoryReactor reactor = new MemoryReactor();
    private final MemoryIOSystem system = new MemoryIOSystem();
    private final IpHost host = IpHost.onTun().address("10.77.0.2/24");
    private final List<AutoCloseable> registrations = new java.util.ArrayList<>();

    @AfterEach
    void unregister() throws Exception {
        for (AutoCloseable registration : registrations) {
            registration.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T registration) {
        registrations.add(registration);
        return registration;
    }

    /** One ping answered, one ping with a bad ICMP checksum dropped. */
    private TuntapPort pingedTwice(String device) throws Exception {
        TuntapPort port = host.listen(device, reactor, system);
        MemoryTunnel tunnel = system.getTunnel(port);
        byte[] bad = StackPackets.icmpEcho(8, 1, 2, PAYLOAD);
        bad[9] ^= 1;
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, StackPackets.icmpEcho(8, 1, 1, PAYLOAD)));
        tunnel.readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1, bad));
        reactor.fireReadable();
        return port;
    }

    @Test
    void portCountersAreReadOverJmxAfterTraffic() throws Exception {
        TuntapPort port = pingedTwice("jt0");
        JmxRegistration registration = closeLater(JmxMetrics.register(port));
        ObjectName name = new ObjectName("io.jpair:type=TuntapPort,name=jt0");
        assertThat(registration.objectName()).isEqualTo(name);
        int echoLength = 20 + 8 + PAYLOAD.length;
        assertThat(SERVER.getAttribute(name, "packetsRead")).isEqualTo(2L);
        assertThat(SERVER.getAttribute(name, "bytesRead")).isEqualTo(2L * echoLength);
        assertThat(SERVER.getAttribute(name, "packetsWritten")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "bytesWritten")).isEqualTo((long) echoLength);
        assertThat(SERVER.getAttribute(name, "droppedWrites")).isEqualTo(0L);
    }

    @Test
    void portAttributesAreTheLiveCountersNotACopy() throws Exception {
        TuntapPort port = pingedTwice("jt0");
        closeLater(JmxMetrics.register(port));
        ObjectName name = JmxMetrics.tuntapPortName("jt0");
        system.getTunnel(port).readBuffer().add(Packets.ipv4("10.77.0.1", "10.77.0.2", 1,
            StackPackets.icmpEcho(8, 1, 3, PAYLOAD)));
        reactor.fireReadable();
        assertThat(SERVER.getAttribute(name, "packetsRead")).isEqualTo(3L);
        assertThat(SERVER.getAttribute(name, "packetsWritten")).isEqualTo(2L);
    }

    @Test
    void portAttributesAreNamedAfterEveryDeviceCountersGetter() throws Exception {
        TuntapPort port = pingedTwice("jt0");
        closeLater(JmxMetrics.register(port));
        List<String> getters = Arrays.stream(DeviceCounters.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == long.class
                && m.getParameterCount() == 0)
            .map(Method::getName).toList();
        MBeanAttributeInfo[] attributes = SERVER.getMBeanInfo(JmxMetrics.tuntapPortName("jt0")).getAttributes();
        assertThat(attributes).extracting(MBeanAttributeInfo::getName).containsExactlyInAnyOrderElementsOf(getters);
        assertThat(attributes).allSatisfy(a -> {
            assertThat(a.getType()).isEqualTo("long");
            assertThat(a.isReadable()).isTrue();
            assertThat(a.isWritable()).isFalse();
        });
    }

    @Test
    void closingTheRegistrationUnregistersTheMBean() throws Exception {
        TuntapPort port = pingedTwice("jt0");
        JmxRegistration registration = JmxMetrics.register(port);
        assertThat(SERVER.isRegistered(registration.objectName())).isTrue();
        registration.close();
        assertThat(SERVER.isRegistered(registration.objectName())).isFalse();
        assertThat(registration.isClosed()).isTrue();
        registration.close();   // idempotent
        closeLater(JmxMetrics.register(port)).close();   // the name is free again
    }

    @Test
    void registeringASecondSourceUnderTheSameNameFailsNamingIt() throws Exception {
        TuntapPort port = pingedTwice("jt0");
        closeLater(JmxMetrics.register(port));
        assertThatThrownBy(() -> JmxMetrics.register(port))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("io.jpair:type=TuntapPort,name=jt0: already registered");
    }

    @Test
    void aPortNotYetNamedByTheKernelCannotBeRegistered() {
        TuntapPort port = new TuntapPort("tun%d", host.protocol(), TunnelOptions.defaults(), reactor, system);
        assertThatThrownBy(() -> JmxMetrics.register(port))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("tun%d: not named by the kernel yet: register after startListening()");
    }

    @Test
    void anInterfaceNameWithObjectNameSyntaxIsQuoted() throws Exception {
        ObjectName name = JmxMetrics.tuntapPortName("a,b=c");
        assertThat(name.getKeyProperty("name")).isEqualTo("\"a,b=c\"");
        assertThat(ObjectName.unquote(name.getKeyProperty("name"))).isEqualTo("a,b=c");
    }

    @Test
    void hostCountersAreReadOverJmxUnderTheirOwnNames() throws Exception {
        pingedTwice("jt0");
        JmxRegistration registration = closeLater(JmxMetrics.register(host));
        ObjectName name = new ObjectName("io.jpair:type=IpHost,name=jt0");
        assertThat(registration.objectName()).isEqualTo(name);
        assertThat(SERVER.getAttribute(name, "ip.received")).isEqualTo(2L);
        assertThat(SERVER.getAttribute(name, "icmp.echoReplies")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "icmp.drop.BAD_CHECKSUM")).isEqualTo(1L);
        assertThat(SERVER.getAttribute(name, "udp.drop.NO_LISTENER")).isEqualTo(0L);
    }

    @Test
    void hostAttributesAreExactlyTheNamesOfIpHostCounters() throws Exception {
        pingedTwice("jt0");
        closeLater(JmxMetrics.register(host));
        MBeanAttributeInfo[] attributes = SERVER.getMBeanInfo(JmxMetrics.ipHostName("jt0")).getAttributes();
        assertThat(attributes).extracting(MBeanAttributeInfo::getName)
            .containsExactlyElementsOf(host.counters().keySet());
    }

    @Test
    void getAttributesReturnsEveryHostCounterAsOneSnapshot() throws Exception {
        pingedTwice("jt0");
        closeLater(JmxMetrics.register(host));
        String[] names = host.counters().keySet().toArray(String[]::new);
        AttributeList values = SERVER.getAttributes(JmxMetrics.ipHostName("jt0"), names);
        assertThat(values.asList()).extracting(Attribute::getName).containsExactly(names);
        assertThat(values.asList()).extracting(Attribute::getValue)
            .containsExactlyElementsOf(host.counters().values());
    }

    @Test
    void aHostNotAttachedToAPortCannotBeRegistered() {
        assertThatThrownBy(() -> JmxMetrics.register(IpHost.onTun()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("IpHost is not attached to a port: call IpHost.listen(...) first");
    }

    @Test
    void tunQueueCountersAreRegisteredPerQueue() throws Exception {
        TunQueue queue = TunQueue.open("jq0", TunnelOptions.defaults(), OffloadOptions.disabled(), system);
        try (queue; JmxRegistration registration = JmxMetrics.register(queue, 3)) {
            assertThat(registration.objectName()).isEqualTo(new ObjectName("io.jpair:type=TunQueue,name=jq0,queue=3"));
            assertThat(SERVER.getAttribute(registration.objectName(), "packetsRead")).isEqualTo(0L);
        }
    }
}
