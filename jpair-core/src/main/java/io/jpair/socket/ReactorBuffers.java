package io.jpair.socket;

import io.jpair.reactor.Reactor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The native memory every TCP socket of one reactor shares: the direct buffer reads land in
 * (lent to {@code Protocol.dataReceived}), a staging buffer that carries heap writes to the
 * kernel, and a scratch area for socket options and addresses. Sharing is safe because a
 * reactor's sockets run one at a time on its thread and a read buffer is only lent for the
 * duration of one call; it keeps the memory per connection at the bytes it has buffered.
 */
final class ReactorBuffers {
    /** Bytes per read (Twisted reads {@code bufferSize} = 64 KiB too). */
    static final int SIZE = 65536;

    private static final Map<Reactor, ReactorBuffers> BY_REACTOR = Collections.synchronizedMap(new WeakHashMap<>());

    /** Where reads land. */
    final ByteBuffer read = ByteBuffer.allocateDirect(SIZE);
    /** {@link #read}'s native address. */
    final long readAddress = MemorySegment.ofBuffer(read).address();
    /** Heap bytes are copied here on their way to {@code send}. */
    final ByteBuffer stage = ByteBuffer.allocateDirect(SIZE);
    /** {@link #stage}'s native address. */
    final long stageAddress = MemorySegment.ofBuffer(stage).address();
    /** Option values, addresses and their lengths (reactor thread only). */
    final MemorySegment scratch = Arena.ofAuto().allocate(64, 8);

    private ReactorBuffers() {
    }

    /**
     * The buffers of {@code reactor}, created on first use and released with the reactor.
     *
     * @param reactor the reactor
     * @return its buffers
     */
    static ReactorBuffers of(Reactor reactor) {
        return BY_REACTOR.computeIfAbsent(reactor, unused -> new ReactorBuffers());
    }
}
