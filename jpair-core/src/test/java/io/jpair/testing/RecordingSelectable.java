package io.jpair.testing;

import io.jpair.reactor.ReadDescriptor;
import io.jpair.reactor.Reactor;
import io.jpair.reactor.WriteDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * A reader and writer with a pretend fd that records its callbacks and can be told to fail, for
 * {@link MemoryReactorTest}.
 */
final class RecordingSelectable implements ReadDescriptor, WriteDescriptor {
    private final String name;
    private final Reactor reactor;
    final List<String> calls = new ArrayList<>();
    final List<Throwable> lostReasons = new ArrayList<>();
    int fd = 42;
    Exception failRead;
    Exception failWrite;
    RuntimeException failConnectionLost;
    /** Runs inside doRead, before any scripted failure. */
    Runnable onRead = () -> { };
    /** Whether it was still a reader / writer when connectionLost ran. */
    boolean readerAtLoss;
    boolean writerAtLoss;

    RecordingSelectable(String name, Reactor reactor) {
        this.name = name;
        this.reactor = reactor;
    }

    @Override
    public int fileno() {
        return fd;
    }

    @Override
    public void doRead() throws Exception {
        calls.add(name + ".doRead");
        onRead.run();
        if (failRead != null) {
            throw failRead;
        }
    }

    @Override
    public void doWrite() throws Exception {
        calls.add(name + ".doWrite");
        if (failWrite != null) {
            throw failWrite;
        }
    }

    @Override
    public void connectionLost(Throwable reason) {
        calls.add(name + ".connectionLost");
        lostReasons.add(reason);
        readerAtLoss = reactor.getReaders().contains(this);
        writerAtLoss = reactor.getWriters().contains(this);
        if (failConnectionLost != null) {
            throw failConnectionLost;
        }
    }

    @Override
    public String logPrefix() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
