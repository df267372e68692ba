package io.jpair.host;

import java.util.Iterator;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long fuzz run, its own command ({@code scripts/fuzz-long N}, i.e.
 * {@code -Djpair.fuzz.frames=N -Dtest=IpHostFuzzLongRun}): N inputs of
 * {@link IpHostFuzzProperties}'s kinds per device type into one host each, checked every 10,000:
 * random and mutated frames, and as many again structure-aware ones with one header field mutated
 * ({@link FrameCorpus#structured}). Skipped unless the property is set.
 */
@EnabledIfSystemProperty(named = "jpair.fuzz.frames", matches = "\\d+")
class IpHostFuzzLongRun {
    private static void run(boolean tap, boolean structured) throws Exception {
        FuzzedHost target = new FuzzedHost(tap);
        Arbitrary<byte[]> inputs = structured
            ? FrameCorpus.structured(tap ? FrameCorpus.STRUCTURED_FRAMES : FrameCorpus.STRUCTURED_PACKETS, tap)
            : FrameCorpus.hostile(tap ? FrameCorpus.FRAMES : FrameCorpus.PACKETS, tap);
        long n = Long.getLong("jpair.fuzz.frames");
        long start = System.nanoTime();
        Iterator<byte[]> it = inputs.sampleStream().limit(n).iterator();
        while (it.hasNext()) {
            target.feed(it.next(), (target.fed % 997) * 50);
            if (target.fed % 10_000 == 0 || !it.hasNext()) {
                target.check();
            }
        }
        System.out.printf("fuzz long run %s%s: %d inputs in %d s, %d written; counters (non-zero):%n%s%n",
            tap ? "TAP" : "TUN", structured ? ", one header field mutated" : "", target.fed, (System.nanoTime() - start) / 1_000_000_000L, target.tunnel.writeCount(),
            CounterReport.of(target.host.counters(), "  "));
    }

    @Test
    void hostileFramesThroughTap() throws Exception {
        run(true, false);
    }

    @Test
    void framesWithOneHeaderFieldMutatedThroughTap() throws Exception {
        run(true, true);
    }

    @Test
    void packetsWithOneHeaderFieldMutatedThroughTun() throws Exception {
        run(false, true);
    }

    @Test
    void hostilePacketsThroughTun() throws Exception {
        run(false, false);
    }
}
