/**
 * Optional Micrometer binders for jpair's counters: {@code requires io.jpair.micrometer;} and
 * bind {@link io.jpair.micrometer.TuntapPortMetrics}, {@link io.jpair.micrometer.TunQueueMetrics}
 * or {@link io.jpair.micrometer.IpHostMetrics} to any {@code MeterRegistry}. Micrometer's jar
 * has no descriptor; its automatic module name is {@code micrometer.core}.
 */
module io.jpair.micrometer {
    requires transitive io.jpair.core;
    requires transitive micrometer.core;
    requires org.slf4j;

    exports io.jpair.micrometer;
}
