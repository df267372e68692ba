package io.jpair.services;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.ManualClock;
import io.jpair.testing.MemoryStreamTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the HTTP responder's input handling: how the bytes are cut into reads never
 * changes the answers, and no input makes it throw.
 */
class HttpResponderPropertiesTest {
    private static final List<String> REQUESTS = List.of(
        "GET / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /bytes/1000 HTTP/1.1\r\nHost: h\r\n\r\n",
        "HEAD /bytes/70000 HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /nope HTTP/1.1\r\nHost: h\r\n\r\n",
        "PUT / HTTP/1.1\r\nHost: h\r\n\r\n",
        "\r\nGET /bytes/3 HTTP/1.1\nHost: h\n\n",
        "GET /bytes/200000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");

    private static String answers(byte[] input, int[] cuts) {
        ManualClock clock = new ManualClock();
        MemoryStreamTransport transport = new MemoryStreamTransport();
        HttpResponder http = new HttpResponder(clock, () -> Map.of("c", 1L));
        http.makeConnection(transport);
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(input.length, from + cut);
            http.dataReceived(ByteBuffer.wrap(input, from, to - from));
            from = to;
        }
        http.dataReceived(ByteBuffer.wrap(input, from, input.length - from));
        for (int i = 0; i < 1000 && clock.hasPendingCalls() && !transport.isDisconnecting(); i++) {
            clock.advance(Duration.ZERO); // bodies in bursts; the idle timer is never reached
        }
        return transport.writtenString();
    }

    @Provide
    Arbitrary<List<String>> pipelines() {
        return Arbitraries.of(REQUESTS).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 200)
    void howRequestsAreCutIntoReadsNeverChangesTheAnswers(@ForAll("pipelines") List<String> requests,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 60) Integer> cuts) {
        byte[] input = String.join("", requests).getBytes(StandardCharsets.ISO_8859_1);
        String whole = answers(input, new int[0]);
        int[] pieces = cuts.stream().mapToInt(Integer::intValue).toArray();
        assertThat(answers(input, pieces)).isEqualTo(whole);
        assertThat(whole).startsWith("HTTP/1.1 ");
    }

    @Property(tries = 500)
    void randomBytesNeverThrow(@ForAll @Size(max = 300) byte[] input,
            @ForAll @Size(max = 10) List<@IntRange(min = 0, max = 50) Integer> cuts) {
        String written = answers(input, cuts.stream().mapToInt(Integer::intValue).toArray());
        assertThat(written.isEmpty() || written.startsWith("HTTP/1.1 ")).isTrue();
    }
}
