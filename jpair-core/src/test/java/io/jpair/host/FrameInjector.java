package io.jpair.host;

import io.jpair.errno.Errno;
import io.jpair.sys.LibC;
import io.jpair.sys.Socket;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes arbitrary bytes, malformed or not, onto a network device through an {@code AF_PACKET}
 * raw socket: the kernel transmits them on the device, so on a TAP device they arrive, unchanged,
 * at whoever reads its fd. Root only (CAP_NET_RAW; shorter-than-header frames need
 * CAP_SYS_RAWIO). Test support: it uses {@code io.jpair.sys} directly.
 *
 * <pre>
 * struct sockaddr_ll {                  // 20 bytes
 *     unsigned short sll_family;        // AF_PACKET (17)
 *     __be16         sll_protocol;      // ETH_P_ALL (3), network order
 *     int            sll_ifindex;
 *     unsigned short sll_hatype;
 *     unsigned char  sll_pkttype;
 *     unsigned char  sll_halen;         // 6
 *     unsigned char  sll_addr[8];
 * };
 * </pre>
 */
final class FrameInjector implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final short ETH_P_ALL_NETWORK_ORDER = 0x0300;
    private static final int SOCKADDR_LL_SIZE = 20;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment address = arena.allocate(SOCKADDR_LL_SIZE);
    private final MemorySegment frame = arena.allocate(65536);
    private final int fd;

    FrameInjector(String device) {
        int index = LibC.ifNameToIndex(device);
        if (index <= 0) {
            throw new IllegalStateException("no device " + device);
        }
        fd = Socket.socket(AF_PACKET, Socket.SOCK_RAW | Socket.SOCK_CLOEXEC, ETH_P_ALL_NETWORK_ORDER);
        if (fd < 0) {
            throw new IllegalStateException("socket(AF_PACKET): " + Errno.name(-fd));
        }
        address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_PACKET);
        address.set(ValueLayout.JAVA_SHORT, 2, ETH_P_ALL_NETWORK_ORDER);
        address.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder()), 4, index);
        address.set(ValueLayout.JAVA_BYTE, 11, (byte) 6);
    }

    /**
     * Transmits one frame on the device.
     *
     * @param bytes the whole frame, Ethernet header included
     * @return true if the kernel took it (false for e.g. ENOBUFS when the device queue is full)
     */
    boolean send(byte[] bytes) {
        MemorySegment.copy(bytes, 0, frame, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return Socket.sendTo(fd, frame.address(), bytes.length, 0, address, SOCKADDR_LL_SIZE) >= 0;
    }

    @Override
    public void close() {
        LibC.close(fd);
        arena.close();
    }
}
