package io.jpair.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Enables {@link KernelTest} classes only where they can run safely; see {@link KernelTest}. */
public final class KernelTestCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean own = context.getElement()
            .flatMap(element -> AnnotationSupport.findAnnotation(element, KernelTest.class))
            .map(KernelTest::ownNamespace)
            .orElse(false);
        String missing = missingRequirement(own);
        if (missing == null) {
            return ConditionEvaluationResult.enabled("root and /dev/net/tun"
                + (own ? "; the command makes its own namespace" : " in a private network namespace"));
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("kernel test cannot run under CI=true: " + missing);
        }
        return ConditionEvaluationResult.disabled("kernel test skipped: " + missing);
    }

    /**
     * Why kernel tests cannot run here.
     *
     * @param ownNamespace whether the command under test makes its own namespace
     * @return the reason, or {@code null} when they can
     */
    static String missingRequirement(boolean ownNamespace) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root (user " + System.getProperty("user.name") + ")";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "/dev/net/tun is missing";
        }
        if (ownNamespace) {
            return null;
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
