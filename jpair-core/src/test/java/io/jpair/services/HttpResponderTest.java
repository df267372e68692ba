package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.ManualClock;
import io.jpair.testing.MemoryStreamTransport;
import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 responder, driven through an in-memory transport and a manual clock. */
class HttpResponderTest {
    private static final String GET_ROOT = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    private final ManualClock clock = new ManualClock();
    private final MemoryStreamTransport transport = new MemoryStreamTransport();
    private final Map<String, Long> counters = new LinkedHashMap<>(Map.of("ip.received", 42L));
    private final HttpResponder responder = new HttpResponder(clock, () -> counters, Duration.ofSeconds(5));

    private void connect() {
        responder.makeConnection(transport);
    }

    private void send(String text) {
        responder.dataReceived(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private String written() {
        return transport.writtenString();
    }

    private void pumpBody() {
        for (int i = 0; i < 10_000 && clock.hasPendingCalls(); i++) {
            clock.advance(Duration.ZERO);
        }
    }

    @Test
    void getRootAnswersTheStatusPageWithTheCounters() {
        connect();
        send(GET_ROOT);
        assertThat(written()).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Type: text/plain")
            .contains("\r\n\r\njpair host 10.0.0.2, serving 10.0.0.1:40000\n").endsWith("ip.received 42\n");
        int headEnd = written().indexOf("\r\n\r\n") + 4;
        assertThat(written()).contains("Content-Length: " + (written().length() - headEnd) + "\r\n");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void theCountersAreReadAtEachRequest() {
        connect();
        send(GET_ROOT);
        counters.put("ip.received", 43L);
        transport.clear();
        send(GET_ROOT);
        assertThat(written()).endsWith("ip.received 43\n");
    }

    @Test
    void bytesNAnswersExactlyNBytesOfThePattern() {
        connect();
        send("GET /bytes/200000 HTTP/1.1\r\nHost: h\r\n\r\n");
        pumpBody();
        String text = written();
        int headEnd = text.indexOf("\r\n\r\n") + 4;
        assertThat(text.substring(0, headEnd)).contains("Content-Length: 200000\r\n")
            .contains("Content-Type: application/octet-stream\r\n");
        byte[] all = transport.written();
        assertThat(all.length - headEnd).isEqualTo(200_000);
        for (int k = 0; k < 200_000; k++) {
            if (all[headEnd + k] != (byte) k) {
                throw new AssertionError("body byte " + k + " is " + all[headEnd + k]);
            }
        }
        assertThat(transport.producer()).isNull();
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void aBodyIsStreamedByAProducerThatTheSendBufferPauses() {
        BoundedStreamTransport bounded = new BoundedStreamTransport(100_000, false);
        HttpResponder http = new HttpResponder(clock, () -> counters);
        http.makeConnection(bounded);
        http.dataReceived(ByteBuffer.wrap("GET /bytes/10000000000 HTTP/1.1\r\nHost: h\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)));
        assertThat(bounded.producerPaused()).isTrue();
        assertThat(bounded.total()).isLessThan(300_000);
        assertThat(bounded.isReadingPaused()).isTrue();
    }

    @Test
    void bytesZeroAnswersAnEmptyBody() {
        connect();
        send("GET /bytes/0 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).contains("Content-Length: 0\r\n").endsWith("\r\n\r\n");
        assertThat(transport.producer()).isNull();
    }

    @Test
    void bytesAboveTheLimitOrNotANumberAreNotFound() {
        connect();
        send("GET /bytes/10000000001 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 Not Found\r\n");
        transport.clear();
        send("GET /bytes/12x HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 ");
        transport.clear();
        send("GET /bytes/ HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 ");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void headAnswersTheFieldsWithoutABody() {
        connect();
        send("HEAD /bytes/5000 HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).contains("Content-Length: 5000\r\n").endsWith("\r\n\r\n");
        transport.clear();
        send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\n");
        assertThat(clock.hasPendingCalls()).isTrue(); // only the idle timer: no body being streamed
        assertThat(transport.producer()).isNull();
    }

    @Test
    void anUnknownPathIsNotFoundAndKeepsTheConnection() {
        connect();
        send("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void anotherMethodIsNotAllowedWithTheAllowField() {
        connect();
        send("DELETE / HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void aRequestWithABodyIsAnsweredAndTheConnectionClosed() {
        connect();
        send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(written()).startsWith("HTTP/1.1 405 ").contains("Connection: close\r\n");
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void aRequestSplitAcrossManyReadsIsAnsweredOnceComplete() {
        connect();
        for (char c : GET_ROOT.toCharArray()) {
            assertThat(written()).isEmpty();
            send(String.valueOf(c));
        }
        assertThat(written()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        connect();
        send("GET /bytes/3 HTTP/1.1\r\nHost: h\r\n\r\nGET /nope HTTP/1.1\r\nHost: h\r\n\r\nHEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
        pumpBody();
        String text = written();
        int first = text.indexOf("HTTP/1.1 200 OK");
        int second = text.indexOf("HTTP/1.1 404");
        int third = text.indexOf("HTTP/1.1 200 OK", second);
        assertThat(first).isZero();
        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
        assertThat(text.substring(text.indexOf("\r\n\r\n") + 4, second)).isEqualTo("\0\1\2");
        assertThat(responder.requestsAnswered()).isEqualTo(3);
    }

    @Test
    void aRequestPipelinedBehindAStreamedBodyWaitsForIt() {
        connect();
        send("GET /bytes/10000000 HTTP/1.1\r\nHost: h\r\n\r\nGET /nope HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(transport.isReadingPaused()).isTrue();
        assertThat(written()).doesNotContain("404");
        pumpBody();
        String text = written();
        assertThat(text.indexOf("HTTP/1.1 404")).isEqualTo(text.indexOf("\r\n\r\n") + 4 + 10_000_000);
        assertThat(transport.isReadingPaused()).isFalse();
    }

    @Test
    void connectionCloseClosesAfterTheResponse() {
        connect();
        send("GET /bytes/10000000 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertThat(transport.isDisconnecting()).isFalse();
        pumpBody();
        assertThat(written()).contains("Connection: close\r\n");
        assertThat(transport.written().length - written().indexOf("\r\n\r\n") - 4).isEqualTo(10_000_000);
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() {
        connect();
        send("GET / HTTP/1.0\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 200 OK").contains("Connection: close\r\n");
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void http10WithKeepAliveStaysOpenAndSaysSo() {
        connect();
        send("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assertThat(written()).contains("Connection: keep-alive\r\n");
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void thePeersFinClosesAfterTheLastCompleteRequest() {
        connect();
        send("GET /bytes/10000000 HTTP/1.1\r\nHost: h\r\n\r\n");
        responder.readConnectionLost();
        assertThat(transport.isDisconnecting()).isFalse();
        pumpBody();
        assertThat(transport.written().length - written().indexOf("\r\n\r\n") - 4).isEqualTo(10_000_000);
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void thePeersFinOnAnIdleConnectionClosesIt() {
        connect();
        send(GET_ROOT);
        responder.readConnectionLost();
        assertThat(transport.isDisconnecting()).isTrue();
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void aHeadLargerThanTheLimitIsRefusedWith431() {
        connect();
        send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(HttpResponder.MAX_HEAD_BYTES) + "\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
            .contains("Connection: close\r\n");
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void anUnfinishedHeadLargerThanTheLimitIsRefusedWithoutWaitingForItsEnd() {
        connect();
        send("GET / HTTP/1.1\r\nX-Big: " + "a".repeat(HttpResponder.MAX_HEAD_BYTES));
        assertThat(written()).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void aHeadJustUnderTheLimitIsServed() {
        connect();
        String start = "GET / HTTP/1.1\r\nHost: h\r\nX: ";
        send(start + "a".repeat(HttpResponder.MAX_HEAD_BYTES - start.length() - 4) + "\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void anUnfinishedHeadTimesOutWith408() {
        connect();
        send("GET / HTTP/1.1\r\nHo");
        clock.advance(Duration.ofMillis(4999));
        assertThat(written()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(written()).startsWith("HTTP/1.1 408 Request Timeout\r\n");
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void anIdleConnectionIsClosedQuietly() {
        connect();
        send(GET_ROOT);
        transport.clear();
        clock.advance(Duration.ofSeconds(5));
        assertThat(written()).isEmpty();
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void aRequestInTimeCancelsTheTimer() {
        connect();
        clock.advance(Duration.ofSeconds(4));
        send(GET_ROOT);
        clock.advance(Duration.ofSeconds(4));
        assertThat(transport.isDisconnecting()).isFalse();
    }

    @Test
    void emptyLinesBeforeARequestAreSkipped() {
        connect();
        send("\r\n\r\n" + GET_ROOT);
        assertThat(written()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void bareLineFeedsEndLines() {
        connect();
        send("GET / HTTP/1.1\nHost: h\n\n");
        assertThat(written()).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void anAbsoluteFormTargetIsServedAsItsPathAndAQueryIsIgnored() {
        connect();
        send("GET http://10.0.0.2/bytes/2?x=1 HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n");
        assertThat(written()).contains("Content-Length: 2\r\n");
    }

    @Test
    void malformedRequestsAreRefusedWith400AndClosed() {
        String[] bad = {
            "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",                       // two spaces
            "GET /\r\nHost: h\r\n\r\n",                                  // no version
            "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n",                       // four parts
            "G(T / HTTP/1.1\r\nHost: h\r\n\r\n",                         // not a token
            "GET / HTTX/1.1\r\nHost: h\r\n\r\n",                         // not HTTP
            "GET / HTTP/1.1\r\n\r\n",                                    // no Host
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",              // two Hosts
            "GET / HTTP/1.1\r\nHost : h\r\n\r\n",                        // space before the colon
            "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",              // obs-fold
            "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",              // no colon
            "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",                   // a stray CR
            "GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n",              // NUL in a value
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n",   // not digits
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        };
        for (String request : bad) {
            MemoryStreamTransport fresh = new MemoryStreamTransport();
            HttpResponder http = new HttpResponder(clock, () -> counters);
            http.makeConnection(fresh);
            http.dataReceived(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(fresh.writtenString()).as(request).startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("Connection: close\r\n");
            assertThat(fresh.isDisconnecting()).as(request).isTrue();
        }
    }

    @Test
    void anotherHttpVersionIsRefusedWith505() {
        connect();
        send("GET / HTTP/2.0\r\nHost: h\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 505 HTTP Version Not Supported\r\n");
        assertThat(transport.isDisconnecting()).isTrue();
    }

    @Test
    void nothingIsAnsweredAfterARefusal() {
        connect();
        send("BAD\r\n\r\n" + GET_ROOT);
        assertThat(written()).startsWith("HTTP/1.1 400").doesNotContain("200 OK");
    }

    @Test
    void tooMuchPipelinedBehindAStreamedBodyAbortsTheConnection() {
        connect();
        StringBuilder requests = new StringBuilder("GET /bytes/100000000 HTTP/1.1\r\nHost: h\r\n\r\n");
        while (requests.length() < HttpResponder.PIPELINE_BYTES + 100) {
            requests.append(GET_ROOT);
        }
        send(requests.toString());
        assertThat(transport.isAborted()).isTrue();
    }

    @Test
    void connectionLostStopsTheBodyAndTheTimer() {
        connect();
        send("GET /bytes/100000000 HTTP/1.1\r\nHost: h\r\n\r\n");
        responder.connectionLost(new io.jpair.stream.ConnectionLost("reset"));
        int length = transport.written().length;
        pumpBody();
        assertThat(transport.written().length).isEqualTo(length);
        assertThat(clock.hasPendingCalls()).isFalse();
    }

    @Test
    void twoPipelinedBodiesEachStartTheirOwnPattern() {
        connect();
        send("GET /bytes/100000 HTTP/1.1\r\nHost: h\r\n\r\nGET /bytes/70000 HTTP/1.1\r\nHost: h\r\n\r\n");
        pumpBody();
        byte[] all = transport.written();
        String text = written();
        int firstBody = text.indexOf("\r\n\r\n") + 4;
        int secondHead = firstBody + 100_000;
        assertThat(text.substring(secondHead)).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 70000\r\n");
        int secondBody = text.indexOf("\r\n\r\n", secondHead) + 4;
        assertThat(all.length - secondBody).isEqualTo(70_000);
        for (int k = 0; k < 70_000; k++) {
            assertThat(all[secondBody + k]).isEqualTo((byte) k);
        }
    }

    @Test
    void aBodyResumedByTheTransportAnswersThePipelinedRequestAfterIt() {
        BoundedStreamTransport bounded = new BoundedStreamTransport(100_000, true);
        HttpResponder http = new HttpResponder(clock, () -> counters);
        http.makeConnection(bounded);
        http.dataReceived(ByteBuffer.wrap(("GET /bytes/1000000 HTTP/1.1\r\nHost: h\r\n\r\n"
            + "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < 100 && bounded.producerPaused(); i++) {
            bounded.drain();
        }
        String text = new String(bounded.recorded(), StandardCharsets.ISO_8859_1);
        assertThat(text.indexOf("HTTP/1.1 404")).isEqualTo(text.indexOf("\r\n\r\n") + 4 + 1_000_000);
        assertThat(bounded.isReadingPaused()).isFalse();
        assertThat(http.requestsAnswered()).isEqualTo(2);
    }

    @Test
    void streamingABodyAllocatesNothingPerWrite() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        BoundedStreamTransport bounded = new BoundedStreamTransport(4 * BulkProducer.CHUNK, false);
        HttpResponder http = new HttpResponder(clock, () -> counters);
        http.makeConnection(bounded);
        http.dataReceived(ByteBuffer.wrap("GET /bytes/10000000000 HTTP/1.1\r\nHost: h\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII)));
        for (int i = 0; i < 20_000; i++) {
            bounded.drain();
        }
        long writes = bounded.writes();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10_000; i++) {
            bounded.drain();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(bounded.writes() - writes).isEqualTo(50_000);
        assertThat(allocated).isLessThan(1024); // what the counter itself may cost: not per write
    }
}
