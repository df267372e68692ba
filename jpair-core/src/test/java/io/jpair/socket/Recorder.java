package io.jpair.socket;

import io.jpair.stream.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** A protocol that keeps what it receives and reports how it ended. Reactor thread only, except the futures. */
class Recorder extends Protocol {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final CompletableFuture<Void> made = new CompletableFuture<>();
    final CompletableFuture<Void> readLost = new CompletableFuture<>();
    final CompletableFuture<Throwable> lost = new CompletableFuture<>();
    volatile long receivedCount;

    @Override
    protected void connectionMade() {
        made.complete(null);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        while (data.hasRemaining()) {
            received.write(data.get());
            receivedCount++;
        }
    }

    @Override
    public void readConnectionLost() {
        readLost.complete(null);
        super.readConnectionLost();
    }

    @Override
    public void connectionLost(Throwable reason) {
        lost.complete(reason);
    }
}
