package io.jpair.services;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One parsed HTTP/1.x request head (request line and header fields, RFC 9112 sections 2 to 5),
 * or the status code that refuses it.
 *
 * <p>Strict where laxness lets requests be smuggled or misread: exactly one space between the
 * request-line's three parts, no whitespace before a field's colon, no obsolete line folding, no
 * control characters in a field value, HTTP/1.1 requests carry exactly one {@code Host}, and
 * {@code Content-Length} is digits only with no disagreeing repeats (all {@code 400}). A version
 * other than HTTP/1.0 and HTTP/1.1 is {@code 505}. A bare LF ends a line as well as CRLF (RFC 9112
 * section 2.2 allows it); a CR not followed by LF is {@code 400}.
 */
final class RequestHead {
    /** The status that refuses the request, or 0 for a request to answer. */
    final int refusal;
    /** Why it was refused (for the response body), or {@code null}. */
    final String reason;
    final String method;
    final String target;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    final int minorVersion;
    final boolean connectionClose;
    final boolean connectionKeepAlive;
    /** A Content-Length above 0 or any Transfer-Encoding: a body follows the head. */
    final boolean hasBody;

    private RequestHead(int refusal, String reason, String method, String target, int minorVersion,
            boolean connectionClose, boolean connectionKeepAlive, boolean hasBody) {
        this.refusal = refusal;
        this.reason = reason;
        this.method = method;
        this.target = target;
        this.minorVersion = minorVersion;
        this.connectionClose = connectionClose;
        this.connectionKeepAlive = connectionKeepAlive;
        this.hasBody = hasBody;
    }

    private static RequestHead refused(int status, String reason) {
        return new RequestHead(status, reason, null, null, 1, true, false, false);
    }

    /**
     * Whether the connection stays open after the response (RFC 9112 section 9.3): HTTP/1.1 unless
     * {@code Connection: close}, HTTP/1.0 only with {@code Connection: keep-alive}.
     *
     * @return true to keep it open
     */
    boolean persistent() {
        if (connectionClose) {
            return false;
        }
        return minorVersion == 1 || connectionKeepAlive;
    }

    /**
     * Parses a head: the bytes from the request line up to and including the empty line.
     *
     * @param bytes the buffer
     * @param length the head's length from index 0
     * @return the request, or a refusal
     */
    static RequestHead parse(byte[] bytes, int length) {
        int lineEnd = lineEnd(bytes, 0, length);
        if (lineEnd < 0) {
            return refused(400, "a CR without LF in the request line");
        }
        String requestLine = new String(bytes, 0, contentEnd(bytes, 0, lineEnd), StandardCharsets.ISO_8859_1);
        int firstSpace = requestLine.indexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : requestLine.indexOf(' ', firstSpace + 1);
        if (secondSpace < 0 || requestLine.indexOf(' ', secondSpace + 1) >= 0) {
            return refused(400, "the request line is not METHOD SP TARGET SP VERSION");
        }
        String method = requestLine.substring(0, firstSpace);
        String target = requestLine.substring(firstSpace + 1, secondSpace);
        String version = requestLine.substring(secondSpace + 1);
        if (method.isEmpty() || !isToken(method)) {
            return refused(400, "the method is not a token");
        }
        if (target.isEmpty() || !isVisible(target)) {
            return refused(400, "the target is empty or has characters outside visible ASCII");
        }
        int minor;
        if (version.equals("HTTP/1.1")) {
            minor = 1;
        } else if (version.equals("HTTP/1.0")) {
            minor = 0;
        } else if (version.length() == 8 && version.startsWith("HTTP/") && isDigit(version.charAt(5))
                && version.charAt(6) == '.' && isDigit(version.charAt(7))) {
            return refused(505, "only HTTP/1.0 and HTTP/1.1 are served");
        } else {
            return refused(400, "the version is not HTTP/x.y");
        }
        int hosts = 0;
        long contentLength = -1;
        boolean transferEncoding = false;
        boolean close = false;
        boolean keepAlive = false;
        int start = lineEnd + 1;
        while (true) {
            int end = lineEnd(bytes, start, length);
            if (end < 0) {
                return refused(400, "a CR without LF in a header field");
            }
            int contentEnd = contentEnd(bytes, start, end);
            if (contentEnd == start) {
                break; // the empty line
            }
            if (bytes[start] == ' ' || bytes[start] == '\t') {
                return refused(400, "obsolete line folding");
            }
            String field = new String(bytes, start, contentEnd - start, StandardCharsets.ISO_8859_1);
            start = end + 1;
            int colon = field.indexOf(':');
            if (colon <= 0 || !isToken(field.substring(0, colon))) {
                return refused(400, "a header field name is not a token followed by ':'");
            }
            String name = field.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = field.substring(colon + 1).strip();
            if (!isFieldValue(value)) {
                return refused(400, "a control character in the value of " + name);
            }
            switch (name) {
                case "host" -> hosts++;
                case "content-length" -> {
                    long parsed = contentLength(value);
                    if (parsed < 0 || (contentLength >= 0 && parsed != contentLength)) {
                        return refused(400, "an invalid or conflicting Content-Length");
                    }
                    contentLength = parsed;
                }
                case "transfer-encoding" -> transferEncoding = true;
                case "connection" -> {
                    for (String option : value.split(",")) {
                        String token = option.strip().toLowerCase(Locale.ROOT);
                        close |= token.equals("close");
                        keepAlive |= token.equals("keep-alive");
                    }
                }
                default -> {
                }
            }
        }
        if (minor == 1 && hosts != 1) {
            return refused(400, hosts == 0 ? "an HTTP/1.1 request without Host" : "more than one Host");
        }
        if (transferEncoding && contentLength >= 0) {
            return refused(400, "both Transfer-Encoding and Content-Length");
        }
        return new RequestHead(0, null, method, target, minor, close, keepAlive, transferEncoding || contentLength > 0);
    }

    /** Index of the LF that ends the line starting at {@code from}, or -1 for a stray CR. */
    private static int lineEnd(byte[] bytes, int from, int length) {
        for (int i = from; i < length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
            if (bytes[i] == '\r' && (i + 1 >= length || bytes[i + 1] != '\n')) {
                return -1;
            }
        }
        return -1; // not reached: the head ends with an empty line
    }

    /** The end of a line's content: before its CR LF or its bare LF at {@code lf}. */
    private static int contentEnd(byte[] bytes, int start, int lf) {
        return lf > start && bytes[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static long contentLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 section 5.6.2 {@code token}: one or more tchar. */
    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean isVisible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 section 5.5: visible characters, obs-text, spaces and tabs; no other control characters. */
    private static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
