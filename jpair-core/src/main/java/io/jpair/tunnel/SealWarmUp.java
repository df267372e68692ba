package io.jpair.tunnel;

import io.jpair.wire.DropCounter;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Brings the JDK's ChaCha20-Poly1305 to compiled speed before a sealed tunnel carries traffic:
 * seals and opens MTU-sized dummy datagrams under a throwaway random key until a datagram budget
 * or a time budget runs out, whichever comes first. Interpreted and C1-compiled, the cipher costs
 * several times what it costs once C2 has compiled it (with its ChaCha20 and Poly1305 intrinsics),
 * and C2 needs some hundred thousand datagrams to get there: a short transfer would otherwise run
 * at the slow speed throughout. The cost is start-up time only (by default at most
 * {@link #DEFAULT_BUDGET}); the throwaway key and its seals are dropped afterwards and no datagram
 * leaves the process. One thread.
 */
public final class SealWarmUp {
    /**
     * The default time budget. On a quiet machine the datagram budget ends the warm-up well before
     * it; on a loaded two-core machine (load 8) a cold JVM sealed and opened about 11,000 datagrams
     * in its first second (interpreted and C1: some 90 µs a pair), 30,000 to 40,000 in each of the
     * next two and reached the steady ~3 µs a pair of C2 only in the fourth.
     */
    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(3000);
    /** The default datagram budget: past the point where C2 has compiled the cipher's hot methods. */
    public static final int DEFAULT_DATAGRAMS = 100_000;
    /** The packet length warmed with: a typical tunnel MTU. */
    static final int PACKET_LENGTH = 1400;

    private SealWarmUp() {
    }

    /**
     * Seals and opens dummy datagrams until {@code datagrams} were done or {@code budget} passed.
     *
     * @param budget the most time to spend (checked every few datagrams)
     * @param datagrams the most datagrams to seal and open
     * @return how many datagrams were sealed and opened
     * @throws IllegalStateException if a dummy datagram does not open (the JDK's cipher is broken)
     */
    public static int run(Duration budget, int datagrams) {
        byte[] keyBytes = new byte[TunnelKey.LENGTH];
        SecureRandom random = new SecureRandom();
        random.nextBytes(keyBytes);
        TunnelKey key = TunnelKey.of(keyBytes);
        DropCounter<TunnelDrop> drops = new DropCounter<>(TunnelDrop.class, SealWarmUp.class);
        int sender = random.nextInt();
        DatagramSeal sealer = new DatagramSeal(key, sender, 0, drops);
        DatagramSeal opener = new DatagramSeal(key, ~sender, 0, drops);
        byte[] datagram = new byte[PACKET_LENGTH + DatagramSeal.OVERHEAD];
        datagram[DatagramSeal.HEADER_LENGTH] = 0x45;
        long deadline = System.nanoTime() + budget.toNanos();
        int done = 0;
        while (done < datagrams && (done % 256 != 0 || System.nanoTime() - deadline < 0)) {
            int length = sealer.seal(datagram, 0, PACKET_LENGTH);
            if (opener.open(datagram, 0, length) != PACKET_LENGTH) {
                throw new IllegalStateException("ChaCha20-Poly1305 warm-up: a sealed datagram did not open ("
                    + drops + ")");
            }
            done++;
        }
        return done;
    }
}
