package io.jpair.ip;

import static io.jpair.ip.FragmentBench.ipv4;
import static io.jpair.ip.FragmentBench.ipv4Fragment;
import static io.jpair.ip.FragmentBench.ipv6;
import static io.jpair.ip.FragmentBench.ipv6Fragment;
import static io.jpair.ip.FragmentBench.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The reassembly rules of {@link Reassembler}, as Linux applies them: any order, duplicates
 * ignored, overlaps discard the datagram (IPv4 and IPv6), the timeouts and their Time Exceeded,
 * the memory, per-source and piece bounds, and the RFC 8200 length checks.
 */
class ReassemblerTest {
    private final FragmentBench bench = new FragmentBench().withReassembler();
    private final Reassembler reassembler = bench.ip.reassembler();
    private final byte[] data = pattern(3000);
    private final byte[] v4 = ipv4("10.77.0.1", 99, 0x1234, data);
    private final byte[] v6 = ipv6("fd00:77::1", 99, data);

    private byte[] v4(int from, int to) {
        return ipv4Fragment(v4, from, to, to == data.length);
    }

    private byte[] v6(int from, int to) {
        return ipv6Fragment(v6, 77, from, to, to == data.length);
    }

    @Test
    void ipv4FragmentsInOrderAreDeliveredAsOneDatagram() {
        bench.receive(v4(0, 1480));
        bench.receive(v4(1480, 2960));
        assertThat(bench.delivered).isEmpty();
        bench.receive(v4(2960, 3000));
        assertThat(bench.delivered).hasSize(1);
        assertThat(bench.delivered.get(0)).isEqualTo(data);
        assertThat(reassembler.datagramsReassembled()).isEqualTo(1);
        assertThat(reassembler.inProgress()).isZero();
    }

    @Test
    void ipv4FragmentsInAnyOrderAreReassembled() {
        bench.receive(v4(2960, 3000));
        bench.receive(v4(0, 1480));
        bench.receive(v4(1480, 2960));
        assertThat(bench.delivered).containsExactly(data);
    }

    @Test
    void ipv6FragmentsOutOfOrderAreReassembled() {
        bench.receive(v6(1448, 2896));
        bench.receive(v6(2896, 3000));
        bench.receive(v6(0, 1448));
        assertThat(bench.delivered).containsExactly(data);
    }

    @Test
    void anExactDuplicateIsIgnoredAndTheDatagramStillCompletes() {
        bench.receive(v4(0, 1480));
        bench.receive(v4(0, 1480));
        bench.receive(v4(1480, 3000));
        assertThat(bench.delivered).containsExactly(data);
        assertThat(reassembler.drops().get(FragmentDrop.DUPLICATE)).isEqualTo(1);
    }

    @Test
    void aFragmentInsideReceivedDataIsADuplicate() {
        bench.receive(v4(0, 1480));
        bench.receive(ipv4Fragment(v4, 8, 800, false));
        bench.receive(v4(1480, 3000));
        assertThat(bench.delivered).containsExactly(data);
    }

    @Test
    void anOverlappingIpv4FragmentDiscardsTheWholeDatagram() {
        bench.receive(v4(0, 1480));
        bench.receive(v4(1472, 2960));
        bench.receive(v4(2960, 3000));
        bench.receive(v4(1480, 2960));
        assertThat(bench.delivered).as("the rest starts a new datagram that never completes").isEmpty();
        assertThat(reassembler.drops().get(FragmentDrop.OVERLAP)).isEqualTo(1);
    }

    @Test
    void anOverlappingIpv6FragmentDiscardsTheWholeDatagramSilently() {
        bench.receive(v6(0, 1448));
        bench.receive(v6(8, 1456));
        bench.receive(v6(1448, 3000));
        assertThat(bench.delivered).isEmpty();
        assertThat(reassembler.drops().get(FragmentDrop.OVERLAP)).isEqualTo(1);
        assertThat(bench.sent).as("RFC 5722: no ICMP").isEmpty();
    }

    @Test
    void anIncompleteIpv4DatagramExpiresAfter30SecondsWithTimeExceeded() {
        bench.receive(v4(0, 1480));
        bench.clock.advance(Duration.ofSeconds(29));
        assertThat(reassembler.inProgress()).isEqualTo(1);
        bench.clock.advance(Duration.ofSeconds(1));
        assertThat(reassembler.inProgress()).isZero();
        assertThat(reassembler.drops().get(FragmentDrop.TIMEOUT)).isEqualTo(1);
        assertThat(bench.sent).hasSize(1);
        ByteBuffer error = ByteBuffer.wrap(bench.sent.get(0));
        assertThat(error.get(9)).as("ICMP").isEqualTo((byte) 1);
        assertThat(error.get(20)).as("time exceeded").isEqualTo((byte) 11);
        assertThat(error.get(21)).as("fragment reassembly time exceeded").isEqualTo((byte) 1);
        byte[] quoted = Arrays.copyOfRange(bench.sent.get(0), 28, bench.sent.get(0).length);
        assertThat(quoted).as("quotes the first fragment, cut at 576 bytes in all")
            .isEqualTo(Arrays.copyOf(v4(0, 1480), 576 - 28));
    }

    @Test
    void anIncompleteIpv6DatagramExpiresAfter60SecondsWithTimeExceeded() {
        bench.receive(v6(0, 1448));
        bench.clock.advance(Duration.ofSeconds(59));
        assertThat(bench.sent).isEmpty();
        bench.clock.advance(Duration.ofSeconds(1));
        assertThat(bench.sent).hasSize(1);
        byte[] error = bench.sent.get(0);
        assertThat(error[40]).as("time exceeded").isEqualTo((byte) 3);
        assertThat(error[41]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(error, 48, error.length)).as("the first fragment, cut at 1280")
            .isEqualTo(Arrays.copyOf(v6(0, 1448), 1280 - 48));
    }

    @Test
    void noTimeExceededWhenTheFirstFragmentNeverArrived() {
        bench.receive(v4(1480, 3000));
        bench.clock.advance(Duration.ofSeconds(30));
        assertThat(reassembler.drops().get(FragmentDrop.TIMEOUT)).isEqualTo(1);
        assertThat(bench.sent).isEmpty();
    }

    @Test
    void aCompletedDatagramLeavesNoTimeoutBehind() {
        bench.receive(v4(0, 1480));
        bench.receive(v4(1480, 3000));
        bench.clock.advance(Duration.ofSeconds(60));
        assertThat(reassembler.drops().get(FragmentDrop.TIMEOUT)).isZero();
        assertThat(bench.sent).isEmpty();
    }

    @Test
    void newDatagramsBeyondTheMemoryBoundAreDropped() {
        FragmentBench small = new FragmentBench().withReassembler(2L * FragmentQueue.SLOT_BYTES);
        small.ip.reassembler().perSourceLimit(10);
        for (int id = 0; id < 3; id++) {
            small.receive(ipv4Fragment(ipv4("10.77.0.1", 99, id, data), 0, 1480, false));
        }
        assertThat(small.ip.reassembler().capacity()).isEqualTo(2);
        assertThat(small.ip.reassembler().inProgress()).isEqualTo(2);
        assertThat(small.ip.reassembler().drops().get(FragmentDrop.MEMORY_LIMIT)).isEqualTo(1);
    }

    @Test
    void oneSourceHoldsAtMostAQuarterOfTheSlots() {
        int share = reassembler.capacity() / 4;
        for (int id = 0; id <= share; id++) {
            bench.receive(ipv4Fragment(ipv4("10.77.0.1", 99, id, data), 0, 1480, false));
        }
        bench.receive(ipv4Fragment(ipv4("10.77.0.3", 99, 1, data), 0, 1480, false));
        assertThat(reassembler.drops().get(FragmentDrop.SOURCE_LIMIT)).isEqualTo(1);
        assertThat(reassembler.inProgress()).isEqualTo(share + 1);
    }

    @Test
    void tinyFragmentsOfEightBytesReassemble() {
        byte[] small = pattern(200);
        byte[] packet = ipv4("10.77.0.1", 99, 9, small);
        for (int from = 0; from < 200; from += 8) {
            bench.receive(ipv4Fragment(packet, from, from + 8, from + 8 == 200));
        }
        assertThat(bench.delivered).containsExactly(small);
    }

    @Test
    void aDatagramInTooManyPiecesIsDiscarded() {
        for (int i = 0; i <= Reassembler.MAX_RUNS; i++) {
            bench.receive(ipv4Fragment(v4, i * 16, i * 16 + 8, false));
        }
        assertThat(reassembler.drops().get(FragmentDrop.TOO_MANY_PIECES)).isEqualTo(1);
        assertThat(reassembler.inProgress()).isZero();
    }

    @Test
    void anIpv4FragmentPast65535BytesIsDropped() {
        byte[] f = ipv4Fragment(v4, 0, 1480, true);
        ByteBuffer b = ByteBuffer.wrap(f).putShort(6, (short) 8100).putShort(10, (short) 0);
        b.putShort(10, (short) io.jpair.wire.InternetChecksum.checksum(b, 0, 20, 0));
        bench.receive(f);
        assertThat(reassembler.drops().get(FragmentDrop.TOO_BIG)).isEqualTo(1);
    }

    @Test
    void anIpv6FragmentPast65535BytesGetsAParameterProblemAtTheOffset() {
        byte[] f = v6(0, 1448);
        ByteBuffer.wrap(f).putShort(42, (short) (65000 | 1));
        bench.receive(f);
        assertThat(reassembler.drops().get(FragmentDrop.TOO_BIG)).isEqualTo(1);
        assertThat(bench.sent).hasSize(1);
        ByteBuffer error = ByteBuffer.wrap(bench.sent.get(0));
        assertThat(error.get(40)).isEqualTo((byte) 4);
        assertThat(error.get(41)).isEqualTo((byte) 0);
        assertThat(error.getInt(44)).as("points at the fragment offset").isEqualTo(42);
    }

    @Test
    void anIpv6FragmentNotAMultipleOf8GetsAParameterProblemAtThePayloadLength() {
        bench.receive(v6(0, 1447));
        ByteBuffer error = ByteBuffer.wrap(bench.sent.get(0));
        assertThat(error.get(40)).isEqualTo((byte) 4);
        assertThat(error.getInt(44)).isEqualTo(4);
        assertThat(reassembler.drops().get(FragmentDrop.BAD_LENGTH)).isEqualTo(1);
    }

    @Test
    void aLastFragmentDisagreeingWithTheKnownEndDiscardsTheDatagram() {
        bench.receive(v4(2960, 3000));
        bench.receive(ipv4Fragment(v4, 1480, 2000, true));
        assertThat(reassembler.drops().get(FragmentDrop.INCONSISTENT_LENGTH)).isEqualTo(1);
        assertThat(reassembler.inProgress()).isZero();
    }

    @Test
    void withoutAReassemblerFragmentsAreDropped() {
        FragmentBench bare = new FragmentBench();
        bare.receive(v4(0, 1480));
        assertThat(bare.ip.drops().get(IpDrop.FRAGMENT)).isEqualTo(1);
    }

    @Test
    void datagramsFromTwoSourcesWithTheSameIdentificationStayApart() {
        byte[] other = pattern(1600);
        other[0] = 42;
        byte[] second = ipv4("10.77.0.3", 99, 0x1234, other);
        bench.receive(v4(0, 1480));
        bench.receive(ipv4Fragment(second, 0, 1480, false));
        bench.receive(ipv4Fragment(second, 1480, 1600, true));
        bench.receive(v4(1480, 3000));
        assertThat(bench.delivered).containsExactly(other, data);
    }

    @Test
    void aSlotIsReusedForALongerDatagramAfterAShortOne() {
        byte[] small = pattern(100);
        byte[] first = ipv4("10.77.0.1", 99, 1, small);
        bench.receive(ipv4Fragment(first, 0, 56, false));
        bench.receive(ipv4Fragment(first, 56, 100, true));
        bench.receive(v4(1480, 3000));
        bench.receive(v4(0, 1480));
        assertThat(bench.delivered).containsExactly(small, data);
    }
}
