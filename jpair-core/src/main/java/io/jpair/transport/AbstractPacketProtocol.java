package io.jpair.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle every packet protocol shares (Twisted's {@code AbstractDatagramProtocol}): a
 * transport while attached, a count of attached ports, and {@link #startProtocol()} /
 * {@link #stopProtocol()} when the first attaches and the last detaches.
 */
public abstract class AbstractPacketProtocol implements PacketProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractPacketProtocol.class);

    /** A protocol attached to no port. */
    protected AbstractPacketProtocol() {
    }

    /** The attached port, or {@code null}. */
    protected PacketTransport transport;
    private int numPorts;

    /**
     * The attached port.
     *
     * @return the transport, or {@code null} when not attached
     */
    public PacketTransport transport() {
        return transport;
    }

    /**
     * How many ports this protocol is attached to.
     *
     * @return the count
     */
    public int numPorts() {
        return numPorts;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if already attached to a transport
     */
    @Override
    public void makeConnection(PacketTransport transport) {
        if (this.transport != null) {
            throw new IllegalStateException(logPrefix() + " is already attached to " + this.transport);
        }
        this.transport = transport;
        doStart();
    }

    /**
     * Counts one more port; calls {@link #startProtocol()} for the first.
     */
    public void doStart() {
        if (numPorts == 0) {
            LOG.debug("Starting protocol {}", this);
            startProtocol();
        }
        numPorts++;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException if not started
     */
    @Override
    public void doStop() {
        if (numPorts <= 0) {
            throw new IllegalStateException(logPrefix() + ": doStop without doStart");
        }
        numPorts--;
        transport = null;
        if (numPorts == 0) {
            LOG.debug("Stopping protocol {}", this);
            stopProtocol();
        }
    }

    /** Called when the first port attaches. Does nothing by default. */
    protected void startProtocol() {
    }

    /** Called when the last port detaches. Does nothing by default. */
    protected void stopProtocol() {
    }
}
