package io.jpair.privileges;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ReadableClasspath;
import io.jpair.kernel.Shell;
import org.junit.jupiter.api.Test;

@KernelTest
class PrivilegesKernelTest {
    @Test
    void aPortOpenedAsRootKeepsWorkingAfterDroppingToNobodyWithNoCapabilitiesLeft() {
        // and with an empty bounding set and no-new-privileges, for this thread and those it starts
        String java = ProcessHandle.current().info().command().orElse("java");
        Shell.Result result;
        // After the drop, classes still to be loaded must be readable by nobody.
        try (ReadableClasspath copy = ReadableClasspath.copy()) {
            result = Shell.run(60, java, "--enable-native-access=ALL-UNNAMED", "-cp", copy.classpath(),
                DropProbe.class.getName());
        }
        assertThat(result.output())
            .contains("DROPPED uid=65534 CapEff=0000000000000000 CapPrm=0000000000000000 CapInh=0000000000000000"
                + " CapAmb=0000000000000000")
            .contains("THIS-THREAD CapBnd=0000000000000000 NoNewPrivs=1")
            .contains("LATER-THREAD CapBnd=0000000000000000 NoNewPrivs=1")
            .contains("NEWDEVICE refused: Couldn't listen on jdrop1")
            .containsPattern("RECEIVED [1-9]");
        assertThat(result.exitCode()).isZero();
    }
}
