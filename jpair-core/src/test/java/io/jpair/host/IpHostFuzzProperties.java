package io.jpair.host;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Hostile input through the whole path, device to ICMP/UDP: random and mutated frames (from valid
 * ARP, IPv4/IPv6 ICMP, neighbour discovery and UDP, see {@link FrameCorpus}) are written into the
 * in-memory TAP and TUN devices of hosts that live for the whole property (so state accumulates
 * over the tries), and after every try: nothing escaped (reactor errors, port protocol errors,
 * per-layer {@code PROTOCOL_FAILED} all zero), the counters add up ({@link HostAccounting}), the
 * tables and queues stay within their bounds, and the host never sent more than two frames per
 * frame received (no amplification).
 *
 * <p>Structure-aware inputs ({@link FrameCorpus#structured}: valid frames, TCP included, with one
 * header field changed and the checksums fixed up) go through the same checks.
 *
 * <p>CI runs 10,000 tries of up to 4 inputs per device type, and 2,000 structure-aware ones. The
 * long run is its own command,
 * {@code scripts/fuzz-long} ({@link IpHostFuzzLongRun}).
 */
class IpHostFuzzProperties {
    private final FuzzedHost tap;
    private final FuzzedHost tun;

    IpHostFuzzProperties() throws Exception {
        tap = new FuzzedHost(true);
        tun = new FuzzedHost(false);
    }

    @Provide
    Arbitrary<byte[]> frame() {
        return FrameCorpus.hostile(FrameCorpus.FRAMES, true);
    }

    @Provide
    Arbitrary<byte[]> packet() {
        return FrameCorpus.hostile(FrameCorpus.PACKETS, false);
    }

    @Property(tries = 10_000)
    void hostileFramesThroughTapLeaveTheHostConsistentAndBounded(
            @ForAll @Size(min = 1, max = 4) List<@From("frame") byte[]> frames,
            @ForAll @IntRange(max = 2_000_000) int advanceMicros) {
        for (byte[] f : frames) {
            tap.feed(f, advanceMicros);
        }
        tap.check();
    }

    @Provide
    Arbitrary<byte[]> structuredFrame() {
        return FrameCorpus.structured(FrameCorpus.STRUCTURED_FRAMES, true);
    }

    @Provide
    Arbitrary<byte[]> structuredPacket() {
        return FrameCorpus.structured(FrameCorpus.STRUCTURED_PACKETS, false);
    }

    @Property(tries = 2_000)
    void framesWithOneHeaderFieldMutatedThroughTapLeaveTheHostConsistentAndBounded(
            @ForAll @Size(min = 1, max = 4) List<@From("structuredFrame") byte[]> frames,
            @ForAll @IntRange(max = 2_000_000) int advanceMicros) {
        for (byte[] f : frames) {
            tap.feed(f, advanceMicros);
        }
        tap.check();
    }

    @Property(tries = 2_000)
    void packetsWithOneHeaderFieldMutatedThroughTunLeaveTheHostConsistentAndBounded(
            @ForAll @Size(min = 1, max = 4) List<@From("structuredPacket") byte[]> packets,
            @ForAll @IntRange(max = 2_000_000) int advanceMicros) {
        for (byte[] p : packets) {
            tun.feed(p, advanceMicros);
        }
        tun.check();
    }

    @Property(tries = 10_000)
    void hostilePacketsThroughTunLeaveTheHostConsistentAndBounded(
            @ForAll @Size(min = 1, max = 4) List<@From("packet") byte[]> packets,
            @ForAll @IntRange(max = 2_000_000) int advanceMicros) {
        for (byte[] p : packets) {
            tun.feed(p, advanceMicros);
        }
        tun.check();
    }

    @AfterProperty
    void report() {
        for (FuzzedHost h : List.of(tap, tun)) {
            if (h.fed > 0) {
                System.out.printf("fuzz %s: %d inputs, %d written; counters (non-zero):%n%s%n",
                    h.host.isTap() ? "TAP" : "TUN", h.fed, h.tunnel.writeCount(),
                    CounterReport.of(h.host.counters(), "  "));
            }
        }
    }
}
