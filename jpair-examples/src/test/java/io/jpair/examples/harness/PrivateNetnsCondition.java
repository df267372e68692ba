package io.jpair.examples.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables {@link KernelTest} classes only inside a private network namespace with root and
 * {@code /dev/net/tun} (jpair-core's condition of the same name, for this module's tests).
 */
public final class PrivateNetnsCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingRequirement();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("root, /dev/net/tun and a private network namespace");
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("kernel test cannot run under CI=true: " + missing);
        }
        return ConditionEvaluationResult.disabled("kernel test skipped: " + missing);
    }

    /**
     * Why the examples cannot run on real devices here.
     *
     * @return the reason, or {@code null} when they can
     */
    static String missingRequirement() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (user " + System.getProperty("user.name") + ")";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing";
        }
        if (!"1".equals(System.getenv("JPAIR_PRIVATE_NETNS"))) {
            return "the test JVM was not started in a private network namespace (unshare --net failed?)";
        }
        try {
            // The launcher's parent (the build tool's JVM) is in the namespace we must not touch.
            long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
            Path self = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            Path outer = Files.readSymbolicLink(Path.of("/proc/" + parent + "/ns/net"));
            if (self.equals(outer)) {
                return "refusing to touch the caller's network namespace (" + self + ")";
            }
        } catch (IOException e) {
            return "cannot compare network namespaces: " + e.getMessage();
        }
        return null;
    }
}
