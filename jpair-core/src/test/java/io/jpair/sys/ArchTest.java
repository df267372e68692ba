package io.jpair.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Specification of {@link Arch}'s ioctl request encoding. */
class ArchTest {
    private static final int SIZEOF_INT = 4;

    @Test
    void tunsetiffEncodingOnTheRunningArchitectureFollowsItsTable() {
        boolean powerpc = Arch.NAME.startsWith("ppc") || Arch.NAME.startsWith("powerpc");

        assertThat(Arch.iow('T', 202, SIZEOF_INT)).isEqualTo(powerpc ? 0x800454caL : 0x400454caL)
            .isEqualTo(Arch.iow(Arch.NAME, 'T', 202, SIZEOF_INT));
    }

    @Test
    void tunsetiffEncodesTo0x400454caOnAsmGenericArchitectures() {
        for (String arch : new String[] {"amd64", "x86_64", "aarch64", "riscv64", "s390x"}) {
            assertThat(Arch.iow(arch, 'T', 202, SIZEOF_INT)).as(arch).isEqualTo(0x400454caL);
        }
    }

    @Test
    void tunsetiffEncodesTo0x800454caOnPowerpc() {
        for (String arch : new String[] {"ppc64le", "ppc64", "powerpc"}) {
            assertThat(Arch.iow(arch, 'T', 202, SIZEOF_INT)).as(arch).isEqualTo(0x800454caL);
        }
    }

    @Test
    void readAndWriteSyscallNumbersAreKnownForX8664AndTheAsmGenericTable() {
        assertThat(Arch.syscallNumber("amd64", 0, 63)).isZero();
        assertThat(Arch.syscallNumber("aarch64", 0, 63)).isEqualTo(63);
        assertThat(Arch.syscallNumber("riscv64", 1, 64)).isEqualTo(64);
        assertThat(Arch.syscallNumber("ppc64le", 0, 63)).as("unknown: libc's wrapper is used").isEqualTo(-1);
    }

    @Test
    void tunGetIfaceIsARead() {
        // TUNGETIFF = _IOR('T', 210, unsigned int) = 0x800454d2 on asm-generic.
        assertThat(Arch.ior('T', 210, SIZEOF_INT)).isEqualTo(0x800454d2L);
    }

    @Test
    void ioWithoutDataHasNoDirectionOrSize() {
        // _IO('T', 0xe0) on asm-generic: no direction bits, no size.
        assertThat(Arch.io('T', 0xe0)).isEqualTo(0x54e0L);
    }

    @Test
    void openFlagsAreTheAsmGenericValues() {
        assertThat(Arch.O_RDWR).isEqualTo(2);
        assertThat(Arch.O_NONBLOCK).isEqualTo(04000);
        assertThat(Arch.O_CLOEXEC).isEqualTo(02000000);
    }
}
