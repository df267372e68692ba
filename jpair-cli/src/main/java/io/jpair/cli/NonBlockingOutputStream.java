package io.jpair.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An output stream that never blocks its writers: complete lines (or whatever was written before
 * a {@link #flush()}) go into a bounded queue that a daemon thread writes to the real stream. When
 * the reader is slow or gone ({@code jpair host --stats | less} left alone, a terminal under
 * Ctrl-S), the queue fills and further lines are dropped and counted; the next line that fits is
 * preceded by {@code jpair: N lines of output dropped (the output was not being read)}.
 *
 * <p>This is what lets the reactor thread print status lines and log warnings: a blocked pipe can
 * cost lines, never packets. Any thread may write; the queue is bounded both in lines and bytes.
 * A write error of the real stream (a closed pipe) ends the writer thread; later lines are
 * discarded.
 */
final class NonBlockingOutputStream extends OutputStream {
    /** Lines queued at most, by default. */
    static final int DEFAULT_MAX_LINES = 1024;
    /** Bytes queued at most, by default. */
    static final int DEFAULT_MAX_BYTES = 256 * 1024;

    private final OutputStream target;
    private final int maxLines;
    private final int maxBytes;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private byte[] pending = new byte[256];
    private int pendingLength;
    private int queuedBytes;
    private long droppedSinceLastLine;
    private long droppedLines;
    private boolean writing;
    private boolean failed;
    private boolean closed;

    /**
     * Starts the writer thread.
     *
     * @param target the real stream, written only by the writer thread
     * @param name the writer thread's name suffix, e.g. {@code stdout}
     * @param maxLines lines queued at most
     * @param maxBytes bytes queued at most
     */
    NonBlockingOutputStream(OutputStream target, String name, int maxLines, int maxBytes) {
        this.target = target;
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        Thread.ofPlatform().daemon().name("jpair-" + name + "-writer").start(this::writeQueued);
    }

    @Override
    public synchronized void write(int b) {
        append((byte) b);
        if (b == '\n') {
            enqueuePending();
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            append(bytes[i]);
            if (bytes[i] == '\n') {
                enqueuePending();
            }
        }
    }

    /** Queues what was written since the last line end (e.g. a live line without one); never waits. */
    @Override
    public synchronized void flush() {
        enqueuePending();
    }

    /**
     * Lines dropped so far because the queue was full.
     *
     * @return the count since construction
     */
    synchronized long droppedLines() {
        return droppedLines;
    }

    /**
     * Waits until everything queued has been written to the real stream, for a bounded time.
     *
     * @param timeout how long to wait at most
     * @return true if the queue was drained in time
     */
    synchronized boolean drain(Duration timeout) {
        enqueuePending();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while ((!queue.isEmpty() || writing) && !failed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** Queues the pending bytes and stops the writer once the queue is written; never waits. */
    @Override
    public synchronized void close() {
        enqueuePending();
        closed = true;
        notifyAll();
    }

    private void append(byte b) {
        if (pendingLength == pending.length) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        }
        pending[pendingLength++] = b;
    }

    private void enqueuePending() {
        if (pendingLength == 0) {
            return;
        }
        byte[] line = Arrays.copyOf(pending, pendingLength);
        pendingLength = 0;
        if (pending.length > 64 * 1024) {
            pending = new byte[256];
        }
        if (failed || closed) {
            return;
        }
        if (queue.size() >= maxLines || queuedBytes + line.length > maxBytes) {
            droppedSinceLastLine += Math.max(1, lineEnds(line));
            droppedLines += Math.max(1, lineEnds(line));
            return;
        }
        if (droppedSinceLastLine > 0) {
            // The notice is not counted against the bounds: it replaces what was lost.
            byte[] notice = ("jpair: " + droppedSinceLastLine + " line" + (droppedSinceLastLine == 1 ? "" : "s")
                + " of output dropped (the output was not being read)\n").getBytes(StandardCharsets.UTF_8);
            queue.add(notice);
            queuedBytes += notice.length;
            droppedSinceLastLine = 0;
        }
        queue.add(line);
        queuedBytes += line.length;
        notifyAll();
    }

    private static int lineEnds(byte[] line) {
        int count = 0;
        for (byte b : line) {
            if (b == '\n') {
                count++;
            }
        }
        return count;
    }

    private void writeQueued() {
        while (true) {
            byte[] line;
            synchronized (this) {
                writing = false;
                notifyAll();
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                line = queue.poll();
                if (line == null) {
                    return;  // closed and written
                }
                queuedBytes -= line.length;
                writing = true;
            }
            try {
                target.write(line);
                target.flush();
            } catch (IOException e) {
                synchronized (this) {
                    failed = true;
                    writing = false;
                    queue.clear();
                    queuedBytes = 0;
                    notifyAll();
                }
                return;
            }
        }
    }
}
