package io.jpair.ip;

import static io.jpair.ip.FragmentBench.ipv4;
import static io.jpair.ip.FragmentBench.ipv4Fragment;
import static io.jpair.ip.FragmentBench.ipv6;
import static io.jpair.ip.FragmentBench.ipv6Fragment;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of reassembly: any cutting of a datagram into fragments, sent in any order and with
 * fragments repeated before it completes, reassembles byte-exact exactly once; and random fragments never throw
 * and never leave more datagrams in progress than there are slots.
 */
class FragmentProperties {
    /** Cuts {@code [0, length)} at random multiples of 8. */
    private static List<int[]> cuts(int length, Random random) {
        List<int[]> pieces = new ArrayList<>();
        int from = 0;
        while (from < length) {
            int size = 8 * (1 + random.nextInt(200));
            int to = Math.min(length, from + size);
            pieces.add(new int[] {from, to});
            from = to;
        }
        return pieces;
    }

    @Property(tries = 300)
    void anyFragmentationInAnyOrderReassemblesByteExact(@ForAll @IntRange(min = 1, max = 20000) int length,
            @ForAll long seed, @ForAll boolean ipv6, @ForAll @IntRange(min = 0, max = 5) int duplicates) {
        Random random = new Random(seed);
        byte[] data = new byte[length];
        random.nextBytes(data);
        FragmentBench bench = new FragmentBench().withReassembler();
        byte[] packet = ipv6 ? ipv6("fd00:77::1", 99, data) : ipv4("10.77.0.1", 99, 7, data);
        List<byte[]> fragments = new ArrayList<>();
        for (int[] piece : cuts(length, random)) {
            boolean last = piece[1] == length;
            fragments.add(ipv6 ? ipv6Fragment(packet, 7, piece[0], piece[1], last)
                : ipv4Fragment(packet, piece[0], piece[1], last));
        }
        Collections.shuffle(fragments, random);
        // Repeats come after their original and before the fragment that completes the datagram
        // (after it, they would start, and may complete, a datagram of their own).
        for (int i = 0; fragments.size() > 1 && i < duplicates; i++) {
            int original = random.nextInt(fragments.size() - 1);
            int at = original + 1 + random.nextInt(fragments.size() - 1 - original);
            fragments.add(at, fragments.get(original));
        }
        for (byte[] f : fragments) {
            bench.receive(f);
        }
        assertThat(bench.delivered).hasSize(1);
        assertThat(bench.delivered.get(0)).isEqualTo(data);
    }

    @Property(tries = 300)
    void randomFragmentsNeverThrowAndStayBounded(@ForAll @Size(max = 60) List<@IntRange(min = 0, max = 8191) Integer> offsets,
            @ForAll long seed) {
        Random random = new Random(seed);
        FragmentBench bench = new FragmentBench().withReassembler(8L * FragmentQueue.SLOT_BYTES);
        byte[] packet = ipv4("10.77.0.1", 99, 1, new byte[1200]);
        byte[] packet6 = ipv6("fd00:77::1", 99, new byte[1200]);
        for (int offset : offsets) {
            int from = Math.min(offset * 8, 1200) & ~7;
            int to = Math.min(1200, from + 1 + random.nextInt(1200));
            byte[] f = random.nextBoolean() ? ipv4Fragment(packet, from, to, random.nextBoolean())
                : ipv6Fragment(packet6, random.nextInt(4), from, to, random.nextBoolean());
            if (random.nextInt(4) == 0) {
                f[random.nextInt(f.length)] ^= (byte) (1 << random.nextInt(8));
            }
            if (random.nextInt(3) == 0) {
                f[5] = (byte) random.nextInt(4);  // another datagram (IPv4 identification) or a wrong IPv6 length
            }
            bench.receive(f);
            assertThat(bench.ip.reassembler().inProgress()).isLessThanOrEqualTo(8);
        }
        assertThat(bench.ip.drops().get(IpDrop.PROTOCOL_FAILED)).isZero();
        bench.clock.advance(java.time.Duration.ofSeconds(61));
        assertThat(bench.ip.reassembler().inProgress()).isZero();
    }
}
