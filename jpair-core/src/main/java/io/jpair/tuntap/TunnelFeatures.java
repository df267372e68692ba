package io.jpair.tuntap;

import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.internal.TunIoctl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What this kernel's TUN driver supports: {@code TUNGETFEATURES} on a fresh
 * {@code /dev/net/tun} fd, which needs no privilege and creates no device. The kernel does not
 * list {@code IFF_TUN_EXCL} (always accepted) or {@code IFF_PERSIST} (read-only).
 *
 * <pre>{@code
 * TunnelFlags features = TunnelFeatures.probe(RealIOSystem.INSTANCE);
 * if (features.contains(TunnelFlags.IFF_MULTI_QUEUE)) { ... }
 * }</pre>
 */
public final class TunnelFeatures {
    private static final int KNOWN = 0x0001 | 0x0002 | 0x0010 | 0x0020 | 0x0040 | 0x0100 | 0x0200 | 0x0400 | 0x0800
        | 0x1000 | 0x2000 | 0x4000 | 0x8000;

    private TunnelFeatures() {
    }

    /**
     * Asks the driver which {@code TUNSETIFF} flags it accepts.
     *
     * @param system the system to ask
     * @return the supported flags (bits jpair does not know are left out)
     * @throws ErrnoException if {@code /dev/net/tun} cannot be opened or the ioctl fails
     */
    public static TunnelFlags probe(IOSystem system) throws ErrnoException {
        int fd = system.open(TuntapPort.TUN_DEVICE, IOSystem.O_RDWR | IOSystem.O_CLOEXEC | IOSystem.O_NONBLOCK);
        if (fd < 0) {
            throw new ErrnoException("open", TuntapPort.TUN_DEVICE, -fd);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment features = arena.allocate(ValueLayout.JAVA_INT);
            int rc = system.ioctl(fd, TunIoctl.TUNGETFEATURES, features);
            if (rc < 0) {
                throw new ErrnoException("ioctl(TUNGETFEATURES)", TuntapPort.TUN_DEVICE, -rc);
            }
            return TunnelFlags.of(features.get(ValueLayout.JAVA_INT, 0) & KNOWN);
        } finally {
            system.close(fd);
        }
    }
}
