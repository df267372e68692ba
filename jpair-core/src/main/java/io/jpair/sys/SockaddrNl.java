package io.jpair.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct sockaddr_nl} (12 bytes): a netlink socket address, as passed to
 * {@code bind}, {@code sendto} and {@code getsockname}.
 *
 * <pre>
 * struct sockaddr_nl {
 *     sa_family_t    nl_family;  // offset 0: AF_NETLINK
 *     unsigned short nl_pad;     // offset 2: zero
 *     __u32          nl_pid;     // offset 4: port id (0 = the kernel, or "assign one" in bind)
 *     __u32          nl_groups;  // offset 8: multicast group mask
 * };
 * </pre>
 * Fields are in host byte order. See https://man7.org/linux/man-pages/man7/netlink.7.html
 */
public final class SockaddrNl {
    /** The layout. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_SHORT.withName("nl_family"), ValueLayout.JAVA_SHORT.withName("nl_pad"),
        ValueLayout.JAVA_INT.withName("nl_pid"), ValueLayout.JAVA_INT.withName("nl_groups"));
    /** {@code sizeof(struct sockaddr_nl)}. */
    public static final int SIZE = (int) LAYOUT.byteSize();
    /** Offset of {@code nl_family}. */
    public static final long FAMILY_OFFSET = 0;
    /** Offset of {@code nl_pid}. */
    public static final long PID_OFFSET = 4;
    /** Offset of {@code nl_groups}. */
    public static final long GROUPS_OFFSET = 8;

    private SockaddrNl() {
    }

    /**
     * Allocates and fills a {@code sockaddr_nl}.
     *
     * @param arena where to allocate it
     * @param pid the port id
     * @param groups the multicast group mask
     * @return the zero-padded structure
     */
    public static MemorySegment allocate(Arena arena, int pid, int groups) {
        MemorySegment address = arena.allocate(LAYOUT);
        address.set(ValueLayout.JAVA_SHORT, FAMILY_OFFSET, (short) Socket.AF_NETLINK);
        address.set(ValueLayout.JAVA_INT, PID_OFFSET, pid);
        address.set(ValueLayout.JAVA_INT, GROUPS_OFFSET, groups);
        return address;
    }

    /**
     * {@code nl_pid}.
     *
     * @param address a {@code sockaddr_nl}
     * @return the port id
     */
    public static int pid(MemorySegment address) {
        return address.get(ValueLayout.JAVA_INT, PID_OFFSET);
    }

    /**
     * {@code nl_groups}.
     *
     * @param address a {@code sockaddr_nl}
     * @return the multicast group mask
     */
    public static int groups(MemorySegment address) {
        return address.get(ValueLayout.JAVA_INT, GROUPS_OFFSET);
    }
}
