package io.jpair.reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A reader and writer over a real fd that records callbacks and runs scripted actions. */
final class FdSelectable implements ReadDescriptor, WriteDescriptor {
    /** An action run inside a callback; may throw to be disconnected. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final String name;
    private final Reactor reactor;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Throwable> lostReasons = new ArrayList<>();
    volatile int fd;
    Action onRead = () -> { };
    Action onWrite = () -> { };
    boolean readerAtLoss;
    boolean writerAtLoss;

    FdSelectable(String name, int fd, Reactor reactor) {
        this.name = name;
        this.fd = fd;
        this.reactor = reactor;
    }

    @Override
    public int fileno() {
        return fd;
    }

    @Override
    public void doRead() throws Exception {
        calls.add("doRead");
        onRead.run();
    }

    @Override
    public void doWrite() throws Exception {
        calls.add("doWrite");
        onWrite.run();
    }

    @Override
    public void connectionLost(Throwable reason) {
        calls.add("connectionLost");
        lostReasons.add(reason);
        readerAtLoss = reactor.getReaders().contains(this);
        writerAtLoss = reactor.getWriters().contains(this);
    }

    long count(String call) {
        long n = 0;
        for (String c : calls) {
            if (c.equals(call)) {
                n++;
            }
        }
        return n;
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
