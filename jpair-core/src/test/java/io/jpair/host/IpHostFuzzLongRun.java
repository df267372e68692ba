package io.jpair.host;

import java.util.Iterator;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long fuzz run, its own command ({@code scripts/fuzz-long N}, i.e.
 * {@code -Djpair.fuzz.frames=N -Dtest=IpHostFuzzLongRun}): N inputs of
 * {@link IpHostFuzzProperties}'s kinds per device type into one host each, checked every 10,000.
 * Skipped unless the property is set.
 */
@EnabledIfSystemProperty(named = "jpair.fuzz.frames", matches = "\\d+")
class IpHostFuzzLongRun {
    private static void run(boolean tap) throws Exception {
        FuzzedHost target = new FuzzedHost(tap);
        Arbitrary<byte[]> inputs = FrameCorpus.hostile(tap ? FrameCorpus.FRAMES : FrameCorpus.PACKETS, tap);
        long n = Long.getLong("jpair.fuzz.frames");
        long start = System.nanoTime();
        Iterator<byte[]> it = inputs.sampleStream().limit(n).iterator();
        while (it.hasNext()) {
            target.feed(it.next(), (target.fed % 997) * 50);
            if (target.fed % 10_000 == 0 || !it.hasNext()) {
                target.check();
            }
        }
        System.out.printf("fuzz long run %s: %d inputs in %d s, %d written; counters (non-zero):%n%s%n",
            tap ? "TAP" : "TUN", target.fed, (System.nanoTime() - start) / 1_000_000_000L, target.tunnel.writeCount(),
            CounterReport.of(target.host.counters(), "  "));
    }

    @Test
    void hostileFramesThroughTap() throws Exception {
        run(true);
    }

    @Test
    void hostilePacketsThroughTun() throws Exception {
        run(false);
    }
}
