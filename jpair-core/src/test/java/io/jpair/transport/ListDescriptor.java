package io.jpair.transport;

import io.jpair.reactor.Reactor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FileDescriptor} whose "fd" is a list: {@link #writeSomeData} takes at most
 * {@link #limit} bytes per call and appends them to {@link #written}. Records lifecycle hooks.
 */
final class ListDescriptor extends FileDescriptor {
    final List<String> written = new ArrayList<>();
    final List<Throwable> lostReasons = new ArrayList<>();
    int limit = Integer.MAX_VALUE;
    int writeCloses;
    IOException failWrite;

    ListDescriptor(Reactor reactor) {
        super(reactor);
    }

    /** Opens the descriptor as a port's startListening would. */
    ListDescriptor open() {
        connected = true;
        startReading();
        return this;
    }

    @Override
    protected int writeSomeData(ByteBuffer data) throws IOException {
        if (failWrite != null) {
            throw failWrite;
        }
        int n = Math.min(limit, data.remaining());
        byte[] chunk = new byte[n];
        data.get(chunk);
        if (n > 0) {
            written.add(new String(chunk, StandardCharsets.US_ASCII));
        }
        return n;
    }

    @Override
    protected void closeWriteConnection() {
        writeCloses++;
    }

    @Override
    public void connectionLost(Throwable reason) {
        lostReasons.add(reason);
        super.connectionLost(reason);
    }

    @Override
    public void doRead() {
    }

    @Override
    public int fileno() {
        return disconnected ? -1 : 7;
    }

    String writtenText() {
        return String.join("", written);
    }

    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }
}
