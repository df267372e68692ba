package io.jpair.bench;

import io.jpair.errno.ErrnoException;
import io.jpair.reactor.WriteDescriptor;
import io.jpair.tuntap.TuntapPort;
import java.nio.ByteBuffer;

/**
 * The {@code tx} scenario's writer: watches the port's fd for writability (a TUN fd always is)
 * and, on each reactor wake-up, writes {@value #BATCH} copies of one valid IPv4/UDP packet with
 * {@link TuntapPort#write(ByteBuffer)}, as a producer-driven user program would.
 */
final class TxProducer implements WriteDescriptor {
    /** Packets written per wake-up. */
    static final int BATCH = 64;

    private final TuntapPort port;
    private final ByteBuffer packet;
    long written;
    long bytes;
    long dropped;

    TxProducer(TuntapPort port, ByteBuffer packet) {
        this.port = port;
        this.packet = packet;
    }

    @Override
    public void doWrite() throws ErrnoException {
        for (int i = 0; i < BATCH; i++) {
            int n = port.write(packet);
            if (n > 0) {
                written++;
                bytes += n;
            } else {
                dropped++;
            }
        }
    }

    @Override
    public int fileno() {
        return port.fileno();
    }

    @Override
    public void connectionLost(Throwable reason) {
    }

    @Override
    public String logPrefix() {
        return "TxProducer";
    }
}
