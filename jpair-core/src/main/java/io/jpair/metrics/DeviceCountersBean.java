package io.jpair.metrics;

import io.jpair.tuntap.DeviceCounters;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JMX view of one fd's {@link DeviceCounters}: one attribute per {@link DeviceCounter}, read
 * live from any thread (the counters are opaque-read).
 */
final class DeviceCountersBean extends ReadOnlyCounterBean {
    private final DeviceCounters counters;

    DeviceCountersBean(String className, String device, DeviceCounters counters) {
        super(className, "Traffic counters of " + device,
            Arrays.stream(DeviceCounter.values()).map(DeviceCounter::attributeName).toList(),
            Arrays.stream(DeviceCounter.values()).map(DeviceCounter::description).toList());
        this.counters = counters;
    }

    @Override
    Map<String, Long> snapshot() {
        Map<String, Long> values = new LinkedHashMap<>();
        for (DeviceCounter counter : DeviceCounter.values()) {
            values.put(counter.attributeName(), counter.valueIn(counters));
        }
        return values;
    }
}
