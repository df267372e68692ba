package io.jpair.metrics;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanRegistrationException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One MBean registered by {@link JmxMetrics}: {@link #close()} unregisters it. Closing twice, or
 * after someone else unregistered the name, does nothing.
 */
public final class JmxRegistration implements AutoCloseable {
    private final MBeanServer server;
    private final ObjectName name;
    private final AtomicBoolean closed = new AtomicBoolean();

    JmxRegistration(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /**
     * The name the MBean is registered under.
     *
     * @return e.g. {@code io.jpair:type=TuntapPort,name=tun0}
     */
    public ObjectName objectName() {
        return name;
    }

    /**
     * Whether {@link #close()} has run.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return closed.get();
    }

    /** Unregisters the MBean; idempotent, any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // Already unregistered by someone else: the name is free, which is what close() promises.
            } catch (MBeanRegistrationException e) {
                throw new IllegalStateException(name + ": unregisterMBean failed: " + e.getCause(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "JmxRegistration[" + name + (closed.get() ? ", closed]" : "]");
    }
}
