package io.jpair.wire;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The upper protocols one read batch delivered to, each once, so a demultiplexing layer can pass
 * the end of the batch up (Netty's {@code channelReadComplete} travelling through a pipeline): a
 * protocol that received nothing in the batch is not told. Allocation-free once it has seen as
 * many protocols in one batch as it ever will. Reactor thread only.
 *
 * @param <P> the upper protocol type
 */
public final class ReadBatch<P> {
    private P[] members;
    private int count;

    /**
     * An empty batch.
     *
     * @param empty a zero-length array of the protocol type (its class sizes the storage)
     */
    public ReadBatch(P[] empty) {
        this.members = Arrays.copyOf(empty, 4);
    }

    /**
     * Notes that {@code delivered} each received a packet in this batch.
     *
     * @param delivered the protocols a packet was handed to
     */
    public void add(P[] delivered) {
        for (P protocol : delivered) {
            add(protocol);
        }
    }

    private void add(P protocol) {
        for (int i = 0; i < count; i++) {
            if (members[i] == protocol) {
                return;
            }
        }
        if (count == members.length) {
            members = Arrays.copyOf(members, count * 2);
        }
        members[count++] = protocol;
    }

    /**
     * Ends the batch: hands each protocol that received something to {@code action}, once, in
     * the order they first received, then forgets them.
     *
     * @param action what to do with each (it catches what the protocol throws)
     */
    public void complete(Consumer<? super P> action) {
        int n = count;
        count = 0;
        for (int i = 0; i < n; i++) {
            P protocol = members[i];
            members[i] = null;
            action.accept(protocol);
        }
    }
}
