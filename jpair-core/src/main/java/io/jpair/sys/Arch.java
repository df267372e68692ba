package io.jpair.sys;

import java.util.Locale;

/**
 * The ABI facts that differ between Linux architectures: the {@code _IOC} request encoding, the
 * {@code open(2)} flag values and whether {@code struct epoll_event} is packed.
 *
 * <p>{@code _IOC(dir, type, nr, size) = dir << DIRSHIFT | size << 16 | type << 8 | nr}:
 * <pre>
 * architecture                      SIZEBITS DIRBITS  _IOC_NONE _IOC_WRITE _IOC_READ  TUNSETIFF
 * x86_64, aarch64, riscv64, s390x,
 *   loongarch64, arm (asm-generic)     14       2         0         1          2      0x400454ca
 * ppc, ppc64, ppc64le, mips, sparc,
 *   alpha                              13       3         1         4          2      0x800454ca
 * parisc                               14       2         0         2          1      0x800454ca
 * </pre>
 * (Twisted's commit bac59fcf44 fixed the same table for parisc, powerpc and sparc.)
 * {@code O_NONBLOCK}/{@code O_CLOEXEC} are 04000/02000000 on every architecture jpair supports
 * (asm-generic and powerpc); alpha, mips, parisc and sparc use other values and other errno
 * numbers, so jpair refuses to load there rather than issue wrong syscalls.
 */
public final class Arch {
    /** {@code os.arch} as the JVM reports it. */
    public static final String NAME = System.getProperty("os.arch").toLowerCase(Locale.ROOT);

    private static final boolean POWERPC = isPowerpc(NAME);
    private static final boolean UNSUPPORTED = NAME.startsWith("mips") || NAME.startsWith("sparc")
        || NAME.startsWith("alpha") || NAME.startsWith("parisc") || NAME.startsWith("hppa");

    private static final int DIR_SHIFT = dirShift(POWERPC);
    private static final long IOC_NONE = iocNone(POWERPC);
    private static final long IOC_WRITE = iocWrite(POWERPC);
    private static final long IOC_READ = 2;

    /** {@code O_RDWR}. */
    public static final int O_RDWR = 2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 04000;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 02000000;

    /**
     * The {@code read(2)} system call number where jpair knows it (x86_64: 0; the asm-generic
     * table of aarch64, riscv64 and loongarch64: 63), else -1.
     */
    public static final long SYS_READ = syscallNumber(NAME, 0, 63);
    /** The {@code write(2)} system call number (x86_64: 1; asm-generic: 64), else -1. */
    public static final long SYS_WRITE = syscallNumber(NAME, 1, 64);

    /** True where {@code struct epoll_event} is {@code __attribute__((packed))}: x86_64 only. */
    public static final boolean EPOLL_EVENT_PACKED = NAME.equals("amd64") || NAME.equals("x86_64");

    static {
        if (UNSUPPORTED) {
            throw new ExceptionInInitializerError("jpair does not support os.arch=" + NAME
                + ": its ioctl, open-flag and errno numbering differ from asm-generic");
        }
    }

    private Arch() {
    }

    static long syscallNumber(String arch, long x8664, long asmGeneric) {
        return switch (arch) {
            case "amd64", "x86_64" -> x8664;
            case "aarch64", "riscv64", "loongarch64" -> asmGeneric;
            default -> -1;
        };
    }

    /**
     * {@code _IO(type, nr)}.
     *
     * @param type the ioctl type character, e.g. {@code 'T'}
     * @param nr the request number
     * @return the request code
     */
    public static long io(char type, int nr) {
        return ioc(IOC_NONE, type, nr, 0);
    }

    /**
     * {@code _IOW(type, nr, size)}: the caller passes data in.
     *
     * @param type the ioctl type character
     * @param nr the request number
     * @param size {@code sizeof} the argument type
     * @return the request code
     */
    public static long iow(char type, int nr, int size) {
        return ioc(IOC_WRITE, type, nr, size);
    }

    /**
     * {@code _IOR(type, nr, size)}: the kernel passes data out.
     *
     * @param type the ioctl type character
     * @param nr the request number
     * @param size {@code sizeof} the argument type
     * @return the request code
     */
    public static long ior(char type, int nr, int size) {
        return ioc(IOC_READ, type, nr, size);
    }

    private static long ioc(long dir, char type, int nr, int size) {
        return ioc(dir, DIR_SHIFT, type, nr, size);
    }

    /**
     * {@code _IOW(type, nr, size)} as the named architecture encodes it, whatever this JVM runs
     * on, so the table above can be checked on any machine.
     *
     * @param arch an {@code os.arch} value, e.g. {@code "amd64"} or {@code "ppc64le"}
     * @param type the ioctl type character
     * @param nr the request number
     * @param size {@code sizeof} the argument type
     * @return the request code on {@code arch}
     */
    static long iow(String arch, char type, int nr, int size) {
        boolean powerpc = isPowerpc(arch);
        return ioc(iocWrite(powerpc), dirShift(powerpc), type, nr, size);
    }

    private static boolean isPowerpc(String arch) {
        return arch.startsWith("ppc") || arch.startsWith("powerpc");
    }

    private static int dirShift(boolean powerpc) {
        return 16 + (powerpc ? 13 : 14);
    }

    private static long iocNone(boolean powerpc) {
        return powerpc ? 1 : 0;
    }

    private static long iocWrite(boolean powerpc) {
        return powerpc ? 4 : 1;
    }

    private static long ioc(long dir, int dirShift, char type, int nr, int size) {
        return (dir << dirShift) | ((long) size << 16) | ((long) type << 8) | nr;
    }
}
