package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NonBlockingOutputStreamTest {
    /** A reader that reads nothing until released, like a pipe into a {@code less} nobody scrolls. */
    private static final class StalledReader extends OutputStream {
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch entered = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            entered.countDown();
            try {
                if (!released.await(10, TimeUnit.SECONDS)) {
                    throw new IOException("never released");
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (written) {
                written.write(bytes, offset, length);
            }
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private static void println(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesReturnAtOnceWhileTheReaderIsStalled() throws IOException {
        StalledReader reader = new StalledReader();
        NonBlockingOutputStream out = new NonBlockingOutputStream(reader, "test", 2, 1024);

        long start = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            println(out, "line " + i);
        }

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        reader.released.countDown();
    }

    @Test
    void linesBeyondTheBoundAreDroppedAndCounted() throws IOException {
        StalledReader reader = new StalledReader();
        NonBlockingOutputStream out = new NonBlockingOutputStream(reader, "test", 2, 1024);

        for (int i = 0; i < 10; i++) {
            println(out, "line " + i);
        }

        // Two wait in the queue and at most one is held by the stalled writer thread.
        assertThat(out.droppedLines()).isBetween(7L, 8L);
        reader.released.countDown();
    }

    @Test
    void theNextLineAfterDropsIsPrecededByTheirCount() throws IOException {
        StalledReader reader = new StalledReader();
        NonBlockingOutputStream out = new NonBlockingOutputStream(reader, "test", 2, 1024);
        println(out, "line 0");
        try {
            // the writer thread holds line 0 and is stuck in the reader: the queue's 2 slots are next
            assertThat(reader.entered.await(5, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        for (int i = 1; i < 10; i++) {
            println(out, "line " + i);
        }
        long dropped = out.droppedLines();

        reader.released.countDown();
        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();
        println(out, "resumed");
        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();

        assertThat(dropped).isEqualTo(7);
        assertThat(reader.text()).isEqualTo("line 0\nline 1\nline 2\n"
            + "jpair: 7 lines of output dropped (the output was not being read)\nresumed\n");
    }

    @Test
    void linesKeepTheirOrderWhenTheReaderKeepsUp() throws IOException {
        ByteArrayOutputStream reader = new ByteArrayOutputStream();
        NonBlockingOutputStream out = new NonBlockingOutputStream(reader, "test", 1024, 64 * 1024);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            println(out, "line " + i);
            expected.append("line ").append(i).append('\n');
        }

        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(reader.toString(StandardCharsets.UTF_8)).isEqualTo(expected.toString());
        assertThat(out.droppedLines()).isZero();
    }

    @Test
    void textWithoutALineEndIsWrittenOnFlush() throws IOException {
        ByteArrayOutputStream reader = new ByteArrayOutputStream();
        NonBlockingOutputStream out = new NonBlockingOutputStream(reader, "test", 16, 1024);

        out.write("\r\033[Kprogress".getBytes(StandardCharsets.UTF_8));
        out.flush();

        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();
        assertThat(reader.toString(StandardCharsets.UTF_8)).isEqualTo("\r\033[Kprogress");
    }

    @Test
    void aClosedReaderDiscardsLaterLinesWithoutFailingTheWriter() throws IOException {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        NonBlockingOutputStream out = new NonBlockingOutputStream(closedPipe, "test", 16, 1024);

        println(out, "first");
        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();
        println(out, "second");

        assertThat(out.drain(Duration.ofSeconds(5))).isTrue();
    }
}
