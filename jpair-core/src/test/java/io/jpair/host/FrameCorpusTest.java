package io.jpair.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.testing.Packets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The structure-aware mutations of {@link FrameCorpus}: one field changed, the rest still valid. */
class FrameCorpusTest {
    private static final long RANDOM = 0x5eed_1234_abcdL;

    private static List<String> names(List<byte[]> corpus, boolean ethernet) {
        List<String> names = new ArrayList<>();
        for (byte[] f : corpus) {
            FrameCorpus.fields(f, ethernet).forEach(field -> names.add(field.name()));
        }
        return names;
    }

    @Test
    void fieldsCoverEveryLayerOfTheStructuredCorpus() {
        assertThat(names(FrameCorpus.STRUCTURED_FRAMES, true)).contains("eth.type", "vlan.tci", "arp.senderIp",
            "ip.ihl", "ip.ttl", "ip.checksum", "ip6.nextHeader", "ip6.payloadLength", "icmp.type", "icmpv6.code",
            "nd.target", "nd.optionLength", "udp.length", "udp.checksum", "tcp.dataOffset", "tcp.flags", "tcp.checksum");
        assertThat(names(FrameCorpus.STRUCTURED_PACKETS, false)).contains("ip.version", "ip6.source", "tcp.urgent")
            .doesNotContain("eth.type");
    }

    @Test
    void aFieldMutationChangesOnlyThatFieldAndTheChecksumsOfItsFrame() {
        for (byte[] frame : FrameCorpus.STRUCTURED_FRAMES) {
            List<FrameCorpus.Field> fields = FrameCorpus.fields(frame, true);
            boolean[] allowed = new boolean[frame.length];
            fields.stream().filter(FrameCorpus.Field::checksum)
                .forEach(c -> java.util.Arrays.fill(allowed, c.offset(), c.offset() + c.width(), true));
            for (FrameCorpus.Field field : fields) {
                for (int kind = 0; kind <= 6; kind++) {
                    byte[] mutated = field.mutate(frame, kind, RANDOM);
                    byte[] input = field.checksum() ? mutated : FrameCorpus.refreshChecksums(mutated, frame, true);
                    assertThat(input).hasSameSizeAs(frame);
                    for (int i = 0; i < frame.length; i++) {
                        boolean inField = i >= field.offset() && i < field.offset() + field.width();
                        if (!inField && !allowed[i]) {
                            assertThat(input[i]).as("%s kind %d: byte %d outside the field", field.name(), kind, i)
                                .isEqualTo(frame[i]);
                        }
                        if (inField && field.mask() != 0xFF) {
                            assertThat(input[i] & ~field.mask() & 0xFF).as("%s: bits outside the mask", field.name())
                                .isEqualTo(frame[i] & ~field.mask() & 0xFF);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theIpv4HeaderChecksumStillValidatesAfterANonChecksumFieldChanges() {
        int checked = 0;
        for (byte[] frame : FrameCorpus.STRUCTURED_FRAMES) {
            for (FrameCorpus.Field field : FrameCorpus.fields(frame, true)) {
                if (!field.name().equals("ip.ttl") && !field.name().equals("ip.source")) {
                    continue;
                }
                int ip = field.offset() - (field.name().equals("ip.ttl") ? 8 : 12);
                byte[] input = FrameCorpus.refreshChecksums(field.mutate(frame, 2, RANDOM), frame, true);
                assertThat(input).isNotEqualTo(frame);
                assertThat(Packets.checksum(input, ip, (input[ip] & 0x0F) * 4, 0)).as(field.name()).isZero();
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void aMutatedChecksumIsLeftAsMutated() {
        int checked = 0;
        for (byte[] frame : FrameCorpus.STRUCTURED_FRAMES) {
            for (FrameCorpus.Field field : FrameCorpus.fields(frame, true)) {
                if (!field.checksum()) {
                    continue;
                }
                byte[] input = FrameCorpus.mutateOneField(frame, field, 3, RANDOM, true);  // plus one
                int end = field.offset() + field.width();
                assertThat(java.util.Arrays.equals(input, 0, field.offset(), frame, 0, field.offset())
                    && java.util.Arrays.equals(input, end, input.length, frame, end, frame.length))
                    .as("%s: only the checksum differs", field.name()).isTrue();
                assertThat(java.util.Arrays.equals(input, field.offset(), end, frame, field.offset(), end))
                    .as("%s: changed", field.name()).isFalse();
                checked++;
            }
        }
        assertThat(checked).as("ip, icmp, icmpv6, udp and tcp checksums").isGreaterThan(15);
    }
}
