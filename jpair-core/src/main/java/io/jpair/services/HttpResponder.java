package io.jpair.services;

import io.jpair.reactor.DelayedCall;
import io.jpair.reactor.ReactorTime;
import io.jpair.stream.Protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A small HTTP/1.1 server (RFC 9110, RFC 9112) for one connection, so that {@code curl} and a
 * browser can talk to a host:
 *
 * <ul>
 *   <li>{@code GET /}: a {@code text/plain} status page, one {@code name value} line per counter of
 *       the supplier given (e.g. {@code IpHost::counters});
 *   <li>{@code GET /bytes/N}: exactly {@code N} bytes ({@code 0 <= N <=} {@value #MAX_BYTES}) of
 *       {@code application/octet-stream}, byte {@code k} being {@code k mod 256}, streamed by a push
 *       producer from one reused buffer (never buffered whole; nothing allocated per write);
 *   <li>{@code HEAD} of either: the same header fields, no body.
 * </ul>
 *
 * <p>Other answers: {@code 404} for any other target, {@code 405} (with {@code Allow: GET, HEAD})
 * for any other method, {@code 400} for a malformed request (see the strict rules of the request
 * head below), {@code 431} when the request line and header fields exceed
 * {@value #MAX_HEAD_BYTES} bytes, {@code 505} for a version other than 1.0 and 1.1, and
 * {@code 408} when a request has begun but its head is not complete within the request timeout
 * (default {@link #DEFAULT_REQUEST_TIMEOUT}; an idle keep-alive connection is closed quietly after
 * the same time). The connection closes after {@code 400}, {@code 408}, {@code 431} and
 * {@code 505}, after a request that carries a body (request bodies are not read, so the stream
 * cannot be resynchronised), after {@code Connection: close}, after an HTTP/1.0 request without
 * {@code Connection: keep-alive}, and once the peer has finished sending and every complete
 * request has been answered.
 *
 * <p><b>Request heads</b> are parsed strictly: exactly one space between the request line's parts,
 * no whitespace before a field's colon, no obsolete line folding, no control characters in field
 * values, exactly one {@code Host} in HTTP/1.1, and no conflicting {@code Content-Length}. Empty
 * lines before a request line are skipped (RFC 9112 section 2.2). An absolute-form target
 * ({@code http://host/path}) is served as its path; a query is ignored.
 *
 * <p><b>Pipelining.</b> Requests may follow one another without waiting; they are answered in
 * order. While a {@code /bytes/N} body is being streamed, reading from the peer is paused; at most
 * {@value #PIPELINE_BYTES} bytes of requests received in the same read are kept for later, and a
 * peer that sends more than that behind a streamed response is disconnected (an abort).
 *
 * <pre>{@code
 * host.listenTcp(80, peer -> new HttpResponder(reactor, host::counters));
 * }</pre>
 *
 * <p>Reactor thread only.
 */
public final class HttpResponder extends Protocol {
    /** The largest request line plus header fields (with their line ends): 8 KiB, as nginx and Go. */
    public static final int MAX_HEAD_BYTES = 8192;
    /** The largest {@code N} of {@code /bytes/N}: 10 GB. */
    public static final long MAX_BYTES = 10_000_000_000L;
    /** Request bytes kept while a response is streamed (see the class comment on pipelining). */
    public static final int PIPELINE_BYTES = 65536;
    /** The time a request head has to arrive in full, and an idle connection is kept. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final String BYTES_PREFIX = "/bytes/";

    private final ReactorTime clock;
    private final Supplier<Map<String, Long>> counters;
    private final Duration requestTimeout;
    private final Runnable timeoutTask = this::requestTimedOut;
    private final byte[] pending = new byte[PIPELINE_BYTES];
    private int pendingLength;
    private int scanFrom;
    private BulkProducer body;
    private DelayedCall timer;
    private boolean streaming;
    private boolean closing;
    private boolean closeAfterBody;
    private boolean peerFinished;
    private long requests;

    /**
     * A responder with the default request timeout.
     *
     * @param clock the reactor's time (request timeout, bursts of a streamed body)
     * @param counters what the status page {@code /} lists, read at each request
     */
    public HttpResponder(ReactorTime clock, Supplier<Map<String, Long>> counters) {
        this(clock, counters, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * A responder.
     *
     * @param clock the reactor's time (request timeout, bursts of a streamed body)
     * @param counters what the status page {@code /} lists, read at each request
     * @param requestTimeout how long a request head may take to arrive in full, and how long an idle
     *     connection is kept open
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public HttpResponder(ReactorTime clock, Supplier<Map<String, Long>> counters, Duration requestTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, not " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
    }

    /**
     * Requests answered so far on this connection (refusals included).
     *
     * @return the count
     */
    public long requestsAnswered() {
        return requests;
    }

    @Override
    protected void connectionMade() {
        body = new BulkProducer(transport(), clock, this::bodyCompleted);
        armTimer();
    }

    /**
     * Takes request bytes in, answering every request whose head is complete.
     *
     * @param data the bytes, borrowed for the call
     */
    @Override
    public void dataReceived(ByteBuffer data) {
        while (data.hasRemaining() && !closing) {
            int room = pending.length - pendingLength;
            if (room == 0) { // only while streaming: otherwise answering frees room, or refuses with 431
                closing = true;
                cancelTimer();
                transport().abortConnection();
                break;
            }
            int take = Math.min(room, data.remaining());
            data.get(pending, pendingLength, take);
            pendingLength += take;
            answerPending();
        }
        data.position(data.limit());
    }

    /** The peer finished sending: answer what is complete, then close. */
    @Override
    public void readConnectionLost() {
        peerFinished = true;
        if (!streaming && !closing) {
            close();
        }
    }

    @Override
    public void connectionLost(Throwable reason) {
        closing = true;
        cancelTimer();
        if (body != null) {
            body.stopProducing();
        }
    }

    private void answerPending() {
        while (!streaming && !closing) {
            int skip = 0;
            while (skip < pendingLength && (pending[skip] == '\r' || pending[skip] == '\n')) {
                skip++; // empty lines before a request line
            }
            if (skip > 0) {
                consume(skip);
            }
            int end = headEnd();
            if (end < 0) {
                if (pendingLength > MAX_HEAD_BYTES) {
                    refuse(431, "the request head exceeds " + MAX_HEAD_BYTES + " bytes");
                }
                return;
            }
            if (end > MAX_HEAD_BYTES) {
                refuse(431, "the request head exceeds " + MAX_HEAD_BYTES + " bytes");
                return;
            }
            RequestHead head = RequestHead.parse(pending, end);
            consume(end);
            cancelTimer();
            answer(head);
            if (!streaming && !closing) {
                armTimer();
            }
        }
    }

    /** The index just past the empty line that ends the head in {@code pending}, or -1. */
    private int headEnd() {
        for (int i = scanFrom; i < pendingLength; i++) {
            if (pending[i] == '\n') {
                if (i + 1 < pendingLength && pending[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < pendingLength && pending[i + 1] == '\r' && pending[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        scanFrom = Math.max(0, pendingLength - 2);
        return -1;
    }

    private void consume(int count) {
        pendingLength -= count;
        System.arraycopy(pending, count, pending, 0, pendingLength);
        scanFrom = 0;
    }

    private void answer(RequestHead head) {
        if (head.refusal != 0) {
            refuse(head.refusal, head.reason);
            return;
        }
        boolean keepOpen = head.persistent() && !head.hasBody;
        boolean get = head.method.equals("GET");
        if (!get && !head.method.equals("HEAD")) {
            respond(405, "Allow: GET, HEAD\r\n", "text/plain", text("405 Method Not Allowed: " + head.method
                + " (this server answers GET and HEAD)\n"), true, keepOpen, head);
            return;
        }
        String path = path(head.target);
        if (path.equals("/")) {
            respond(200, "", "text/plain; charset=utf-8", statusPage(), get, keepOpen, head);
            return;
        }
        long count = path.startsWith(BYTES_PREFIX) ? byteCount(path.substring(BYTES_PREFIX.length())) : -1;
        if (count < 0) {
            respond(404, "", "text/plain", text("404 Not Found: " + path + " (try / or " + BYTES_PREFIX + "N, N = 0.."
                + MAX_BYTES + ")\n"), get, keepOpen, head);
            return;
        }
        requests++;
        transport().write(text(statusLine(200) + "Server: jpair\r\nContent-Type: application/octet-stream\r\n"
            + "Content-Length: " + count + "\r\n" + connectionField(keepOpen, head) + "\r\n"));
        if (!get || count == 0) {
            finished(keepOpen);
            return;
        }
        streaming = true;
        closeAfterBody = !keepOpen;
        transport().pauseProducing(); // pipelined requests wait until the body has gone
        transport().registerProducer(body, true);
        body.start(count);
    }

    private void bodyCompleted() {
        transport().unregisterProducer();
        streaming = false;
        finished(!closeAfterBody);
        if (closing) {
            return;
        }
        answerPending(); // requests that came with the one just answered
        if (!closing && !streaming) {
            armTimer();
            transport().resumeProducing();
        }
    }

    /** A response has been written in full (a streamed body: handed to the transport in full). */
    private void finished(boolean keepOpen) {
        if (!keepOpen) {
            close();
        } else if (peerFinished && !streaming && headEnd() < 0) {
            close(); // no complete request is left, and none can come
        }
    }

    private void refuse(int status, String reason) {
        respond(status, "", "text/plain", text(status + " " + reasonPhrase(status) + ": " + reason + "\n"), true,
            false, null);
    }

    private void respond(int status, String extraFields, String contentType, byte[] content, boolean withBody,
            boolean keepOpen, RequestHead head) {
        requests++;
        String fields = statusLine(status) + "Server: jpair\r\n" + extraFields + "Content-Type: " + contentType
            + "\r\nContent-Length: " + content.length + "\r\n" + connectionField(keepOpen, head) + "\r\n";
        transport().write(text(fields));
        if (withBody) {
            transport().write(content);
        }
        finished(keepOpen);
    }

    private static String connectionField(boolean keepOpen, RequestHead head) {
        if (!keepOpen) {
            return "Connection: close\r\n";
        }
        return head != null && head.minorVersion == 0 ? "Connection: keep-alive\r\n" : "";
    }

    private void close() {
        closing = true;
        cancelTimer();
        transport().loseConnection();
    }

    private void armTimer() {
        if (timer == null && !closing) {
            timer = clock.callLater(requestTimeout, timeoutTask);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void requestTimedOut() {
        timer = null;
        if (closing || streaming) {
            return;
        }
        if (pendingLength > 0) {
            refuse(408, "the request head did not arrive within " + requestTimeout.toMillis() + " ms");
        } else {
            close(); // an idle keep-alive connection
        }
    }

    private byte[] statusPage() {
        StringBuilder page = new StringBuilder("jpair host ").append(transport().getHost().getAddress().getHostAddress())
            .append(", serving ").append(endpoint(transport().getPeer())).append('\n');
        for (Map.Entry<String, Long> counter : counters.get().entrySet()) {
            page.append(counter.getKey()).append(' ').append(counter.getValue()).append('\n');
        }
        return page.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code 10.0.0.1:40000} or {@code [fd00::1]:40000}. */
    private static String endpoint(java.net.InetSocketAddress address) {
        String literal = address.getAddress().getHostAddress();
        return (literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal) + ":" + address.getPort();
    }

        /** The path of an origin-form or absolute-form target, without its query. */
    private static String path(String target) {
        String path = target;
        int scheme = path.indexOf("://");
        if (scheme > 0 && path.charAt(0) != '/') {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** N of {@code /bytes/N}: 1 to 11 digits, at most {@link #MAX_BYTES}; -1 otherwise. */
    private static long byteCount(String digits) {
        if (digits.isEmpty() || digits.length() > 11) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n <= MAX_BYTES ? n : -1;
    }

    private static String statusLine(int status) {
        return "HTTP/1.1 " + status + " " + reasonPhrase(status) + "\r\n";
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 431 -> "Request Header Fields Too Large";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException("no reason phrase for " + status);
        };
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
