package io.jpair.examples.harness;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that runs an example on a real device: it needs root, {@code /dev/net/tun},
 * and the private network namespace the surefire launcher (jpair-core's
 * {@code src/test/netns-jdk/bin/java}) starts the test JVM in; the examples it starts as child
 * processes inherit that namespace.
 *
 * <p>Without those it is skipped with the reason, except under {@code CI=true}, where it fails. It
 * never runs in the host's namespace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(PrivateNetnsCondition.class)
public @interface KernelTest {
}
