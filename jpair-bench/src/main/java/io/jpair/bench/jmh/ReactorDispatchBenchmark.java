package io.jpair.bench.jmh;

import io.jpair.errno.ErrnoException;
import io.jpair.reactor.EpollReactor;
import io.jpair.reactor.ReadDescriptor;
import io.jpair.sys.LibC;
import io.jpair.sys.Pipe;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One {@link EpollReactor} turn: {@code epoll_wait} plus the dispatch to a reader, the fixed cost
 * the reactor adds per wake-up (per batch of packets, not per packet). The reader watches the read
 * end of a pipe that holds one byte it never consumes, so the level-triggered fd is ready on every
 * turn; {@link #idleTurn()} polls a reactor with nothing ready.
 */
@State(Scope.Thread)
public class ReactorDispatchBenchmark extends AbstractMicrobenchmark {
    private final int[] fds = new int[2];
    private final int[] idleFds = new int[2];
    private EpollReactor reactor;
    private EpollReactor idle;
    private Arena arena;
    private long dispatched;

    /** Created by JMH. */
    public ReactorDispatchBenchmark() {
    }

    /** A reader that only counts its wake-ups. */
    private final class Reader implements ReadDescriptor {
        private final int fd;

        Reader(int fd) {
            this.fd = fd;
        }

        @Override
        public void doRead() {
            dispatched++;
        }

        @Override
        public int fileno() {
            return fd;
        }

        @Override
        public void connectionLost(Throwable reason) {
        }
    }

    /**
     * Creates the reactors and the pipes and makes one pipe readable.
     *
     * @throws ErrnoException if epoll or a pipe cannot be created
     */
    @Setup
    public void setUp() throws ErrnoException {
        if (Pipe.create(fds) < 0 || Pipe.create(idleFds) < 0) {
            throw new IllegalStateException("pipe2 failed");
        }
        arena = Arena.ofConfined();
        MemorySegment one = arena.allocate(1);
        if (LibC.write(fds[Pipe.WRITE_END], one.address(), 1) != 1) {
            throw new IllegalStateException("pipe write failed");
        }
        reactor = new EpollReactor();
        reactor.addReader(new Reader(fds[Pipe.READ_END]));
        idle = new EpollReactor();
        idle.addReader(new Reader(idleFds[Pipe.READ_END]));
    }

    /** Closes everything. */
    @TearDown
    public void tearDown() {
        reactor.removeAll();
        idle.removeAll();
        reactor.close();
        idle.close();
        for (int fd : fds) {
            LibC.close(fd);
        }
        for (int fd : idleFds) {
            LibC.close(fd);
        }
        arena.close();
    }

    /**
     * One turn with one ready reader: {@code epoll_wait} returns it and it is dispatched.
     *
     * @return the work done (1)
     */
    @Benchmark
    public int readableTurn() {
        return reactor.runOnce(0);
    }

    /**
     * One turn with nothing ready: the bare {@code epoll_wait(timeout 0)} plus the timer check.
     *
     * @return the work done (0)
     */
    @Benchmark
    public int idleTurn() {
        return idle.runOnce(0);
    }
}
