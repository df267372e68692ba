package io.jpair.tcp;

/**
 * Comparisons in the 32-bit sequence space, modulo 2^32 (RFC 9293 section 3.4, RFC 1982): a is
 * before b when {@code b - a} is positive as a signed 32-bit number.
 */
final class SequenceNumbers {
    private SequenceNumbers() {
    }

    static boolean lt(int a, int b) {
        return a - b < 0;
    }

    static boolean le(int a, int b) {
        return a - b <= 0;
    }

    static boolean gt(int a, int b) {
        return a - b > 0;
    }

    static boolean ge(int a, int b) {
        return a - b >= 0;
    }

    /** Whether {@code lower <= s < upper}. */
    static boolean inRange(int s, int lower, int upper) {
        return s - lower >= 0 && s - upper < 0;
    }

    static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }
}
