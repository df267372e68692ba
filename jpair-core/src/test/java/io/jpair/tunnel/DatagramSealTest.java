package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.wire.DropCounter;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Sealing and opening tunnel datagrams: round trips, and every kind of damaged, replayed, stale
 * or reflected datagram refused and counted by reason.
 */
class DatagramSealTest {
    private static final byte[] KEY_BYTES = new byte[32];
    private static final TunnelKey KEY;
    private static final int OFFSET = 5;

    static {
        for (int i = 0; i < 32; i++) {
            KEY_BYTES[i] = (byte) (0x80 + i);
        }
        KEY = TunnelKey.of(KEY_BYTES);
    }

    private final DropCounter<TunnelDrop> senderDrops = new DropCounter<>(TunnelDrop.class, DatagramSealTest.class);
    private final DropCounter<TunnelDrop> drops = new DropCounter<>(TunnelDrop.class, DatagramSealTest.class);
    private final DatagramSeal sender = new DatagramSeal(KEY, 0x11111111, 1000, senderDrops);
    private final DatagramSeal receiver = new DatagramSeal(KEY, 0x22222222, 5000, drops);

    private static byte[] packet(int length, int seed) {
        byte[] packet = new byte[length];
        for (int i = 0; i < length; i++) {
            packet[i] = (byte) (seed + i * 7);
        }
        packet[0] = 0x45;
        return packet;
    }

    /** A sealed copy of {@code packet}, at {@link #OFFSET} in a larger array. */
    private byte[] sealed(byte[] packet) {
        byte[] datagram = new byte[OFFSET + DatagramSeal.OVERHEAD + packet.length + 3];
        System.arraycopy(packet, 0, datagram, OFFSET + DatagramSeal.HEADER_LENGTH, packet.length);
        int length = sender.seal(datagram, OFFSET, packet.length);
        assertThat(length).isEqualTo(DatagramSeal.OVERHEAD + packet.length);
        return datagram;
    }

    private int open(byte[] datagram, int packetLength) {
        return receiver.open(datagram, OFFSET, DatagramSeal.OVERHEAD + packetLength);
    }

    @Test
    void anOpenedDatagramIsThePacketThatWasSealed() {
        byte[] packet = packet(1400, 3);
        byte[] datagram = sealed(packet);

        assertThat(open(datagram, 1400)).isEqualTo(1400);
        assertThat(Arrays.copyOfRange(datagram, OFFSET + 12, OFFSET + 12 + 1400)).isEqualTo(packet);
        assertThat(drops.total()).isZero();
    }

    @Test
    void theCiphertextDoesNotShowThePacket() {
        byte[] packet = packet(64, 9);
        byte[] datagram = sealed(packet);

        assertThat(Arrays.copyOfRange(datagram, OFFSET + 12, OFFSET + 12 + 64)).isNotEqualTo(packet);
    }

    @Test
    void theHeaderIsTheSenderAndTheCounter() {
        byte[] datagram = sealed(packet(100, 1));

        assertThat(Arrays.copyOfRange(datagram, OFFSET, OFFSET + 12))
            .isEqualTo(new byte[] {0x11, 0x11, 0x11, 0x11, 0, 0, 0, 0, 0, 0, 0x03, (byte) 0xE8});
        assertThat(sender.nextCounter()).isEqualTo(1001);
    }

    @Test
    void theFormatIsPlainRfc8439WithTheHeaderAsNonceAndAdditionalData() throws Exception {
        byte[] packet = packet(300, 4);
        byte[] datagram = sealed(packet);

        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEY_BYTES, "ChaCha20"),
            new IvParameterSpec(datagram, OFFSET, 12));
        cipher.updateAAD(datagram, OFFSET, 12);
        assertThat(cipher.doFinal(datagram, OFFSET + 12, 300 + 16)).isEqualTo(packet);
    }

    @Test
    void aDamagedCiphertextIsRefusedAsBadTag() {
        byte[] datagram = sealed(packet(200, 5));
        datagram[OFFSET + 12 + 100] ^= 0x01;

        assertThat(open(datagram, 200)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).isEqualTo(1);
    }

    @Test
    void aDamagedTagIsRefusedAsBadTag() {
        byte[] datagram = sealed(packet(200, 5));
        datagram[OFFSET + 12 + 200 + 15] ^= (byte) 0x80;

        assertThat(open(datagram, 200)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).isEqualTo(1);
    }

    @Test
    void aChangedCounterIsRefusedAsBadTagAndDoesNotMoveTheWindow() {
        byte[] datagram = sealed(packet(200, 5));
        byte[] forged = datagram.clone();
        forged[OFFSET + 4] = 0x7F; // a counter far ahead: would slide the window if it were believed

        assertThat(open(forged, 200)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).isEqualTo(1);
        assertThat(open(datagram, 200)).as("the genuine datagram is still fresh").isEqualTo(200);
    }

    @Test
    void aChangedSenderIsRefusedAsBadTag() {
        byte[] datagram = sealed(packet(200, 5));
        datagram[OFFSET] ^= 0x01;

        assertThat(open(datagram, 200)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).isEqualTo(1);
    }

    @Test
    void aDatagramSealedWithAnotherKeyIsRefusedAsBadTag() {
        byte[] other = KEY_BYTES.clone();
        other[31] ^= 1;
        DatagramSeal stranger = new DatagramSeal(TunnelKey.of(other), 0x33333333, 1, senderDrops);
        byte[] datagram = new byte[OFFSET + 28 + 50];
        System.arraycopy(packet(50, 6), 0, datagram, OFFSET + 12, 50);
        stranger.seal(datagram, OFFSET, 50);

        assertThat(open(datagram, 50)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.BAD_TAG)).isEqualTo(1);
    }

    @Test
    void aReplayedDatagramIsRefused() {
        byte[] datagram = sealed(packet(200, 5));
        byte[] copy = datagram.clone();
        assertThat(open(datagram, 200)).isEqualTo(200);

        assertThat(open(copy, 200)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.REPLAYED)).isEqualTo(1);
    }

    @Test
    void datagramsOutOfOrderInsideTheWindowAreAccepted() {
        byte[] first = sealed(packet(80, 1));
        byte[] second = sealed(packet(80, 2));
        byte[] third = sealed(packet(80, 3));

        assertThat(open(third, 80)).isEqualTo(80);
        assertThat(open(first, 80)).isEqualTo(80);
        assertThat(open(second, 80)).isEqualTo(80);
        assertThat(drops.total()).isZero();
    }

    @Test
    void aDatagramOlderThanTheWindowIsRefusedAsTooOld() {
        byte[] old = sealed(packet(80, 1));
        for (int i = 0; i < ReplayWindow.WINDOW; i++) {
            sealed(packet(80, 1));
        }
        byte[] recent = sealed(packet(80, 2));
        assertThat(open(recent, 80)).isEqualTo(80);

        assertThat(open(old, 80)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.TOO_OLD)).isEqualTo(1);
    }

    @Test
    void ourOwnDatagramSentBackIsRefusedAsReflected() {
        byte[] datagram = new byte[OFFSET + 28 + 60];
        receiver.seal(datagram, OFFSET, 60);

        assertThat(open(datagram, 60)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.REFLECTED)).isEqualTo(1);
    }

    @Test
    void aDatagramWithoutRoomForAPacketIsRefusedAsTooShort() {
        byte[] datagram = sealed(packet(1, 1));

        assertThat(receiver.open(datagram, OFFSET, DatagramSeal.OVERHEAD)).isEqualTo(-1);
        assertThat(drops.get(TunnelDrop.TOO_SHORT)).isEqualTo(1);
    }

    @Test
    void sealingStopsWhenTheCounterIsExhausted() {
        DatagramSeal nearTheEnd = new DatagramSeal(KEY, 1, DatagramSeal.COUNTER_LIMIT - 1, senderDrops);
        byte[] datagram = new byte[28 + 40];

        assertThat(nearTheEnd.seal(datagram, 0, 40)).isEqualTo(68);
        assertThat(nearTheEnd.seal(datagram, 0, 40)).isEqualTo(-1);
        assertThat(nearTheEnd.seal(datagram, 0, 40)).isEqualTo(-1);
        assertThat(senderDrops.get(TunnelDrop.COUNTER_EXHAUSTED)).isEqualTo(2);
    }

    @Test
    void aSealFromTheClockStartsNearTheCurrentTimeInNanoseconds() {
        long before = System.currentTimeMillis() * 1_000_000L;
        DatagramSeal seal = new DatagramSeal(KEY, senderDrops);

        assertThat(seal.nextCounter()).isBetween(before - 1_000_000_000L, before + 60_000_000_000L);
    }
}
