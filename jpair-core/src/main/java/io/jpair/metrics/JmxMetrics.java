package io.jpair.metrics;

import io.jpair.host.IpHost;
import io.jpair.tuntap.DeviceCounters;
import io.jpair.tuntap.TunQueue;
import io.jpair.tuntap.TuntapPort;
import java.lang.management.ManagementFactory;
import java.util.Objects;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;

/**
 * Registers jpair's counters as MBeans on the platform MBean server, so JConsole, VisualVM,
 * {@code jcmd}, Jolokia or the Prometheus JMX exporter see them with no dependency:
 *
 * <pre>{@code
 * TuntapPort port = host.listen("jtap0", reactor);
 * try (JmxRegistration p = JmxMetrics.register(port);        // io.jpair:type=TuntapPort,name=jtap0
 *      JmxRegistration h = JmxMetrics.register(host)) {      // io.jpair:type=IpHost,name=jtap0
 *     reactor.run();
 * }                                                          // both unregistered
 * }</pre>
 *
 * <table class="striped">
 * <caption>ObjectNames and attributes (every attribute a read-only {@code long})</caption>
 * <thead><tr><th>source</th><th>ObjectName</th><th>attributes</th></tr></thead>
 * <tbody>
 * <tr><td>{@link TuntapPort}</td><td>{@code io.jpair:type=TuntapPort,name=<interface>}</td>
 *     <td>{@link DeviceCounter}: {@code packetsRead}, {@code bytesRead}, {@code superPacketsRead},
 *     {@code packetsWritten}, {@code bytesWritten}, {@code superPacketsWritten}, {@code droppedReads},
 *     {@code droppedWrites}, {@code readErrors}, {@code protocolErrors}</td></tr>
 * <tr><td>{@link TunQueue}</td><td>{@code io.jpair:type=TunQueue,name=<interface>,queue=<index>}</td>
 *     <td>the same ten</td></tr>
 * <tr><td>{@link IpHost}</td><td>{@code io.jpair:type=IpHost,name=<interface>}</td>
 *     <td>every name of {@link IpHost#counters()}, as it is: {@code ip.received},
 *     {@code ip.drop.BAD_CHECKSUM}, {@code udp.drop.NO_LISTENER}, {@code arp.requestsAnswered}, ...</td></tr>
 * </tbody>
 * </table>
 *
 * <p>An interface name holding a character that ObjectName reserves ({@code , = : " * ?}) is
 * quoted ({@link ObjectName#quote}). Device counters are read live from whatever thread the JMX
 * client uses; host counters are read on the host's reactor thread ({@link IpHostCounterReader},
 * waiting at most one second; an attribute read fails with the device's name when the reactor
 * does not answer). A registration lasts until it is closed, across port restarts; registering a
 * second source under a name in use (two ports named {@code tun0} in two network namespaces of
 * one JVM) fails and says so.
 */
public final class JmxMetrics {
    /** The ObjectName domain of every jpair MBean. */
    public static final String DOMAIN = "io.jpair";

    private JmxMetrics() {
    }

    /**
     * Registers a started port's {@link TuntapPort#counters()}.
     *
     * @param port a port after {@code startListening()} (its kernel-given name is the key)
     * @return the registration; close it to unregister
     * @throws IllegalStateException if the port has not been named by the kernel yet, or the name is in use
     */
    public static JmxRegistration register(TuntapPort port) {
        String device = startedName(port.interfaceName());
        return register(tuntapPortName(device), new DeviceCountersBean(TuntapPort.class.getName(), device,
            port.counters()));
    }

    /**
     * Registers one queue's {@link TunQueue#counters()}.
     *
     * @param queue an open queue
     * @param index the queue's index on its device (its place in {@code TunQueue.openQueues}'s array), for the name
     * @return the registration; close it to unregister
     * @throws IllegalStateException if the name is in use
     */
    public static JmxRegistration register(TunQueue queue, int index) {
        String device = startedName(queue.interfaceName());
        DeviceCounters counters = queue.counters();
        return register(tunQueueName(device, index), new DeviceCountersBean(TunQueue.class.getName(),
            device + " queue " + index, counters));
    }

    /**
     * Registers an {@link IpHost}'s counters, read on its reactor thread.
     *
     * @param host a host attached to a port ({@link IpHost#listen})
     * @return the registration; close it to unregister
     * @throws IllegalStateException if the host is not attached to a port, or the name is in use
     */
    public static JmxRegistration register(IpHost host) {
        IpHostCounterReader reader = new IpHostCounterReader(host);
        return register(ipHostName(reader.interfaceName()), new IpHostCountersBean(reader));
    }

    /**
     * The name of a port's MBean.
     *
     * @param interfaceName the device, e.g. {@code "tun0"}
     * @return {@code io.jpair:type=TuntapPort,name=<interfaceName>}
     */
    public static ObjectName tuntapPortName(String interfaceName) {
        return objectName("type=TuntapPort,name=" + value(interfaceName));
    }

    /**
     * The name of a queue's MBean.
     *
     * @param interfaceName the device
     * @param index the queue's index
     * @return {@code io.jpair:type=TunQueue,name=<interfaceName>,queue=<index>}
     */
    public static ObjectName tunQueueName(String interfaceName, int index) {
        return objectName("type=TunQueue,name=" + value(interfaceName) + ",queue=" + index);
    }

    /**
     * The name of a host's MBean.
     *
     * @param interfaceName the device the host runs on
     * @return {@code io.jpair:type=IpHost,name=<interfaceName>}
     */
    public static ObjectName ipHostName(String interfaceName) {
        return objectName("type=IpHost,name=" + value(interfaceName));
    }

    private static String startedName(String interfaceName) {
        if (interfaceName.contains("%")) {
            throw new IllegalStateException(interfaceName + ": not named by the kernel yet: register after startListening()");
        }
        return interfaceName;
    }

    private static String value(String interfaceName) {
        Objects.requireNonNull(interfaceName, "interfaceName");
        for (char c : new char[] {',', '=', ':', '"', '*', '?', '\n', '\\'}) {
            if (interfaceName.indexOf(c) >= 0) {
                return ObjectName.quote(interfaceName);
            }
        }
        return interfaceName;
    }

    private static ObjectName objectName(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static JmxRegistration register(ObjectName name, DynamicMBean bean) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(bean, name);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException(name + ": already registered (another source with this interface name,"
                + " e.g. in another network namespace, or a registration not closed)", e);
        } catch (MBeanRegistrationException | NotCompliantMBeanException e) {
            throw new IllegalStateException(name + ": registerMBean failed: " + e, e);
        }
        return new JmxRegistration(server, name);
    }
}
