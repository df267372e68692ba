package io.jpair.kernel;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the real kernel: root, {@code /dev/net/tun}, and a private network
 * namespace created for this test run (the surefire launcher {@code src/test/netns-jdk/bin/java}
 * starts the test JVM under {@code unshare --net}).
 *
 * <p>Without those it is skipped with the reason, except under {@code CI=true}, where it fails:
 * CI must run real-device tests, not skip them. It never runs in the host's namespace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(PrivateNetnsCondition.class)
public @interface KernelTest {
}
