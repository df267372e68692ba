package io.jpair.netty;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, installed for every test JVM by {@code -Dio.netty.customResourceLeakDetector}
 * (surefire's argLine, with the level at paranoid), that records each report (with its access records) so
 * {@link NoLeaks} fails the test and prints it, instead of Netty only logging it.
 *
 * @param <T> the tracked type
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    static final List<String> REPORTS = new CopyOnWriteArrayList<>();

    /**
     * Netty's factory calls this constructor.
     *
     * @param resourceType the tracked type
     * @param samplingInterval the sampling interval (ignored at paranoid)
     */
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
        super(resourceType, samplingInterval);
    }

    /**
     * The constructor Netty's factory looks up first (and logs an error when it is missing).
     *
     * @param resourceType the tracked type
     * @param samplingInterval the sampling interval (ignored at paranoid)
     * @param maxActive ignored by Netty
     */
    @SuppressWarnings("deprecation")
    public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
        super(resourceType, samplingInterval, maxActive);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        REPORTS.add(resourceType + " leaked:" + records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        REPORTS.add(resourceType + " leaked (untraced)");
    }
}
