package io.jpair.tunnel;

import io.jpair.wire.DropCounter;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Seals and opens tunnel datagrams with ChaCha20-Poly1305 (RFC 8439) from the JDK's own
 * {@code javax.crypto}, under a pre-shared {@link TunnelKey}, with a counter nonce and replay
 * rejection. No cryptography is written here: this class only lays out the datagram and keeps the
 * counters.
 *
 * <pre>
 *  0                   4                                  12                 12+n        12+n+16
 * +-------------------+-----------------------------------+-------------------+-----------+
 * | sender (32 bits)  | counter (64 bits, big-endian)     | ciphertext (n)    | tag (16)  |
 * +-------------------+-----------------------------------+-------------------+-----------+
 *  \___________ nonce (96 bits) and additional data _____/
 * </pre>
 *
 * <p><b>Nonces.</b> The 12-byte header is the AEAD nonce and is authenticated as additional data.
 * {@code sender} is random per seal object (each start of a tunnel end); the counter starts at the
 * wall clock in nanoseconds since 1970 and grows by one per datagram, so a restarted sender never
 * reuses a nonce of an earlier run and its new datagrams are never taken for replays, as long as
 * the clock does not step back by more than the earlier run sent. Both directions use one key, so
 * the two ends' nonces differ by their random sender fields. The counter stops at
 * 2<sup>64</sup> - 2<sup>13</sup> (WireGuard's limit): {@link #seal} then refuses
 * ({@link TunnelDrop#COUNTER_EXHAUSTED}).
 *
 * <p><b>Opening.</b> A datagram is written to the TUN device only if its tag verifies; its counter
 * must be fresh in a {@link ReplayWindow} ({@value ReplayWindow#WINDOW} wide, checked before the
 * decryption and recorded after it, so a forged datagram cannot move the window). A datagram
 * carrying this end's own sender field is refused as reflected: an attacker sending our own
 * datagrams back to us. Drops are counted by reason, never thrown. What this does not give: no
 * forward secrecy and no key exchange (use WireGuard for that), and after a <em>receiver</em>
 * restart the window is empty, so datagrams recorded before it could be replayed once until the
 * sender's newer ones move the window past them.
 *
 * <p><b>Cost.</b> One {@link Cipher} per direction, re-initialised per datagram with the
 * datagram's nonce. Datagrams are sealed and opened in place in a heap array, the form the JDK's
 * ChaCha20 runs on without copying; the JDK still allocates per {@code init} (the nonce's
 * {@link IvParameterSpec}, a copy of the key, a fresh Poly1305 and its 1 KiB key-stream block,
 * about 2.2 KB per datagram on JDK 25) and an exception per forged datagram. Reactor thread only.
 */
public final class DatagramSeal {
    /** Sender and counter. */
    public static final int HEADER_LENGTH = 12;
    /** The Poly1305 tag. */
    public static final int TAG_LENGTH = 16;
    /** Bytes a seal adds to a packet. */
    public static final int OVERHEAD = HEADER_LENGTH + TAG_LENGTH;
    /** The first counter refused, unsigned: 2^64 - 2^13. */
    static final long COUNTER_LIMIT = -(1L << 13);
    private static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private final SecretKey key;
    private final Cipher sealer;
    private final Cipher opener;
    private final int sender;
    private final ReplayWindow window = new ReplayWindow();
    private final DropCounter<TunnelDrop> drops;
    private long next;

    /**
     * A seal with a random sender field and a counter from the wall clock.
     *
     * @param key the pre-shared key
     * @param drops where refused datagrams are counted
     */
    public DatagramSeal(TunnelKey key, DropCounter<TunnelDrop> drops) {
        this(key, new SecureRandom().nextInt(), epochNanos(), drops);
    }

    /**
     * A seal with a given sender field and first counter (tests).
     *
     * @param key the pre-shared key
     * @param sender the sender field
     * @param firstCounter the counter of the first datagram sealed
     * @param drops where refused datagrams are counted
     */
    DatagramSeal(TunnelKey key, int sender, long firstCounter, DropCounter<TunnelDrop> drops) {
        this.key = key.secretKey();
        this.sender = sender;
        this.next = firstCounter;
        this.drops = drops;
        try {
            this.sealer = Cipher.getInstance(TRANSFORMATION);
            this.opener = Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(TRANSFORMATION + " is not available in this JDK", e);
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /**
     * Seals a packet in place: writes the header at {@code offset}, encrypts the
     * {@code length} bytes at {@code offset + HEADER_LENGTH} and appends the tag.
     *
     * @param datagram room for {@code OVERHEAD + length} bytes from {@code offset}
     * @param offset where the datagram starts
     * @param length the packet's length (already at {@code offset + HEADER_LENGTH})
     * @return the datagram's length, or -1 when the counter is exhausted (counted)
     */
    public int seal(byte[] datagram, int offset, int length) {
        long counter = next;
        if (Long.compareUnsigned(counter, COUNTER_LIMIT) >= 0) {
            drops.add(TunnelDrop.COUNTER_EXHAUSTED);
            return -1;
        }
        next = counter + 1;
        putInt(datagram, offset, sender);
        putLong(datagram, offset + 4, counter);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(datagram, offset, HEADER_LENGTH));
            sealer.updateAAD(datagram, offset, HEADER_LENGTH);
            int sealed = sealer.doFinal(datagram, offset + HEADER_LENGTH, length, datagram, offset + HEADER_LENGTH);
            return HEADER_LENGTH + sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /**
     * Opens a datagram in place: checks its counter, verifies its tag and decrypts it.
     *
     * @param datagram the datagram
     * @param offset where it starts
     * @param length its length
     * @return the packet's length (the packet is at {@code offset + HEADER_LENGTH}), or -1 if it
     *     was refused (counted by reason: {@link TunnelDrop#TOO_SHORT}, {@link TunnelDrop#BAD_TAG},
     *     {@link TunnelDrop#REPLAYED}, {@link TunnelDrop#TOO_OLD}, {@link TunnelDrop#REFLECTED});
     *     then the datagram's bytes are unspecified
     */
    public int open(byte[] datagram, int offset, int length) {
        if (length <= OVERHEAD) {
            return refuse(TunnelDrop.TOO_SHORT);
        }
        if (getInt(datagram, offset) == sender) {
            return refuse(TunnelDrop.REFLECTED);
        }
        long counter = getLong(datagram, offset + 4);
        TunnelDrop stale = window.check(counter);
        if (stale != null) {
            return refuse(stale);
        }
        int opened;
        try {
            opener.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(datagram, offset, HEADER_LENGTH));
            opener.updateAAD(datagram, offset, HEADER_LENGTH);
            opened = opener.doFinal(datagram, offset + HEADER_LENGTH, length - HEADER_LENGTH, datagram,
                offset + HEADER_LENGTH);
        } catch (AEADBadTagException e) {
            return refuse(TunnelDrop.BAD_TAG);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("opening failed", e);
        }
        TunnelDrop late = window.accept(counter);
        return late == null ? opened : refuse(late);
    }

    private int refuse(TunnelDrop reason) {
        drops.add(reason);
        return -1;
    }

    /**
     * The counter the next sealed datagram gets.
     *
     * @return unsigned
     */
    public long nextCounter() {
        return next;
    }

    /**
     * This end's sender field.
     *
     * @return the random value in every header this seal writes
     */
    public int sender() {
        return sender;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static void putLong(byte[] b, int at, long v) {
        putInt(b, at, (int) (v >>> 32));
        putInt(b, at + 4, (int) v);
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static long getLong(byte[] b, int at) {
        return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xFFFFFFFFL);
    }
}
