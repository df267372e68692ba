package io.jpair.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a CLI test class that needs the real kernel: root and {@code /dev/net/tun}, and either a
 * private network namespace made for this test run (the {@code kernel-test} surefire execution
 * starts its JVM under {@code unshare --net}), or, with {@link #ownNamespace()}, a command that
 * makes its own ({@code jpair demo}).
 *
 * <p>Without those it is skipped with the reason, except under {@code CI=true}, where it fails:
 * CI must run real-device tests, not skip them. It never configures the host's namespace.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith(KernelTestCondition.class)
public @interface KernelTest {
    /**
     * Whether the command under test makes its own network namespace, so the test may run in the
     * caller's (it only needs root, {@code /dev/net/tun} and {@code unshare}).
     *
     * @return true for {@code jpair demo}
     */
    boolean ownNamespace() default false;
}
