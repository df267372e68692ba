package io.jpair.tuntap;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One open TUN or TAP fd: the only place that opens {@code /dev/net/tun}, configures the device
 * ({@code TUNSETIFF} with the type, {@code IFF_NO_PI}, {@code IFF_TUN_EXCL},
 * {@code IFF_VNET_HDR} and {@code IFF_MULTI_QUEUE}; {@code TUNSETVNETHDRSZ} and the
 * {@code TUNSETOFFLOAD} negotiation; persist, owner and group), attaches and detaches a queue, and
 * closes it. {@link TuntapPort} (reactor-driven, one packet per callback) and {@link TunQueue}
 * (batches into caller buffers) are two front-ends on it.
 *
 * <p>Every failure is an {@link ErrnoException} naming the call, the device and the errno, with the
 * hint from one table ({@link DeviceErrors}); a failed {@link #open} leaves no fd behind.
 *
 * <p>Reads and writes return the kernel's result or {@code -errno}, as {@link IOSystem} does;
 * writes retry {@code EINTR}. A device is used by one thread at a time.
 */
public final class TunDevice implements AutoCloseable {
    /** The clone device. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    private final IOSystem system;
    private final TunnelFlags mode;
    private final String name;
    private final boolean virtioHeader;
    private final boolean multiQueue;
    private final int offloads;
    private final MemorySegment ifreq;
    private int fd;

    private TunDevice(IOSystem system, int fd, TunnelFlags mode, String name, boolean virtioHeader,
            boolean multiQueue, int offloads, MemorySegment ifreq) {
        this.system = system;
        this.fd = fd;
        this.mode = mode;
        this.name = name;
        this.virtioHeader = virtioHeader;
        this.multiQueue = multiQueue;
        this.offloads = offloads;
        this.ifreq = ifreq;
    }

    /**
     * Opens and configures a device. With {@link OffloadOptions#any()} (or {@code IFF_VNET_HDR} in
     * the options' extra flags) every packet on the fd carries a {@value VirtioNetHeader#LENGTH}-byte
     * virtio-net header, and the offloads the kernel accepts are negotiated: {@code CSUM|TSO4|TSO6},
     * plus {@code USO4|USO6} with UDP on, falling back to fewer, then none.
     *
     * @param requestedName a name or pattern such as {@code "tun%d"} (see {@link #validName})
     * @param mode {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     * @param options how to open the device
     * @param offload the offload switches
     * @param system the system calls
     * @return the open device
     * @throws ErrnoException naming the failed call and the device; nothing is left open
     */
    public static TunDevice open(String requestedName, TunnelFlags mode, TunnelOptions options, OffloadOptions offload,
            IOSystem system) throws ErrnoException {
        validName(requestedName);
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(offload, "offload");
        if (options.attachOnly()) {
            int index = system.interfaceIndex(requestedName);
            if (index < 0) {
                throw new ErrnoException("if_nametoindex", requestedName, -index,
                    "attachOnly is set and the device does not exist");
            }
        }
        int opened = system.open(CLONE_DEVICE, IOSystem.O_RDWR | IOSystem.O_CLOEXEC | IOSystem.O_NONBLOCK);
        if (opened < 0) {
            throw new ErrnoException("open", CLONE_DEVICE, -opened, DeviceErrors.hint("open", -opened));
        }
        try {
            return configure(opened, requestedName, mode, options, offload, system);
        } catch (ErrnoException | RuntimeException e) {
            system.close(opened);
            throw e;
        }
    }

    private static TunDevice configure(int fd, String requestedName, TunnelFlags mode, TunnelOptions options,
            OffloadOptions offload, IOSystem system) throws ErrnoException {
        // Auto arena: a device is opened on one thread and used on another (the reactor's).
        Arena arena = Arena.ofAuto();
        MemorySegment ifreq = InterfaceRequest.allocate(arena);
        boolean vnet = offload.any() || options.extraFlags().contains(TunnelFlags.IFF_VNET_HDR);
        int flags = mode.value() | options.extraFlags().value();
        if (!options.packetInformation()) {
            flags |= TunnelFlags.IFF_NO_PI.value();
        }
        if (options.exclusive()) {
            flags |= TunnelFlags.IFF_TUN_EXCL.value();
        }
        if (vnet) {
            flags |= TunnelFlags.IFF_VNET_HDR.value();
        }
        InterfaceRequest.name(ifreq, requestedName);
        InterfaceRequest.flags(ifreq, flags);
        check(system.ioctl(fd, TunIoctl.TUNSETIFF, ifreq), "ioctl(TUNSETIFF)", requestedName);
        String name = InterfaceRequest.name(ifreq);
        int bits = 0;
        if (vnet) {
            MemorySegment size = arena.allocateFrom(ValueLayout.JAVA_INT, VirtioNetHeader.LENGTH);
            check(system.ioctl(fd, TunIoctl.TUNSETVNETHDRSZ, size), "ioctl(TUNSETVNETHDRSZ)", name);
            bits = negotiateOffloads(system, fd, name, offload.rxOffload(), offload.udp());
        }
        if (options.persist() != null) {
            check(system.ioctl(fd, TunIoctl.TUNSETPERSIST, options.persist() ? 1 : 0), "ioctl(TUNSETPERSIST)", name);
        }
        if (options.owner() >= 0) {
            check(system.ioctl(fd, TunIoctl.TUNSETOWNER, options.owner()), "ioctl(TUNSETOWNER)", name);
        }
        if (options.group() >= 0) {
            check(system.ioctl(fd, TunIoctl.TUNSETGROUP, options.group()), "ioctl(TUNSETGROUP)", name);
        }
        boolean multi = (flags & TunnelFlags.IFF_MULTI_QUEUE.value()) != 0;
        return new TunDevice(system, fd, mode, name, vnet, multi, bits, ifreq);
    }

    /**
     * {@code TUNSETOFFLOAD}: asks for the full set ({@code CSUM|TSO4|TSO6|USO4|USO6}, when
     * {@code udp}), then the TCP set, then none. Kernels before 6.2 refuse the USO bits with
     * {@code EINVAL}; a device whose offloads cannot even be cleared is an error.
     *
     * @param system the system calls
     * @param fd an fd opened with {@code IFF_VNET_HDR}
     * @param device the name, for errors
     * @param rx whether to ask the kernel for super-packets at all
     * @param udp whether to ask for UDP segmentation offload
     * @return the {@code TUN_F_*} bits accepted
     * @throws ErrnoException when not even "none" is accepted
     */
    static int negotiateOffloads(IOSystem system, int fd, String device, boolean rx, boolean udp)
            throws ErrnoException {
        if (rx) {
            if (udp && system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.FULL_SET) >= 0) {
                return Offloads.FULL_SET;
            }
            if (system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, Offloads.TCP_SET) >= 0) {
                return Offloads.TCP_SET;
            }
        }
        check(system.ioctl(fd, TunIoctl.TUNSETOFFLOAD, 0), "ioctl(TUNSETOFFLOAD)", device);
        return 0;
    }

    private static void check(int result, String operation, String device) throws ErrnoException {
        if (result < 0) {
            throw new ErrnoException(operation, device, -result, DeviceErrors.hint(operation, -result));
        }
    }

    /**
     * Checks a device name or pattern before anything is opened.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static String validName(String name) {
        Objects.requireNonNull(name, "interfaceName");
        if (name.isEmpty() || name.length() >= InterfaceRequest.IFNAMSIZ || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid interface name '" + name
                + "': Linux names are 1 to 15 characters and not '.' or '..'");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '/' || c == ':') {
                throw new IllegalArgumentException("invalid interface name '" + name
                    + "': no '/', ':', whitespace or non-ASCII characters");
            }
        }
        return name;
    }

    // ------------------------------------------------------------------ I/O

    /**
     * One {@code read}.
     *
     * @param target where the packet goes (from its start)
     * @param length at most this many bytes
     * @return bytes read, or {@code -errno}
     */
    public int read(MemorySegment target, int length) {
        return system.read(fd, target, length);
    }

    /**
     * One {@code write}, retried while a signal interrupts it.
     *
     * @param source the packet (from its start)
     * @param length bytes to write
     * @return bytes written, or {@code -errno} (never {@code -EINTR})
     */
    public int write(MemorySegment source, int length) {
        int n;
        do {
            n = system.write(fd, source, length);
        } while (n == -Errno.EINTR);
        return n;
    }

    /**
     * One {@code writev} of {@code parts[offset, offset + count)} as one packet, retried while a
     * signal interrupts it.
     *
     * @param parts the pieces, each from position to limit (positions not moved)
     * @param offset first piece
     * @param count how many
     * @return bytes written, or {@code -errno} (never {@code -EINTR})
     */
    public long writev(ByteBuffer[] parts, int offset, int count) {
        long n;
        do {
            n = system.writev(fd, parts, offset, count);
        } while (n == -Errno.EINTR);
        return n;
    }

    /**
     * Takes this queue out of the device's flow steering ({@code TUNSETQUEUE}
     * {@code IFF_DETACH_QUEUE}); the fd stays open and can be attached again.
     *
     * @throws ErrnoException e.g. {@code EINVAL} on a single-queue device
     */
    public void detach() throws ErrnoException {
        setQueue(TunnelFlags.IFF_DETACH_QUEUE, "detach");
    }

    /**
     * Puts a detached queue back ({@code TUNSETQUEUE} {@code IFF_ATTACH_QUEUE}).
     *
     * @throws ErrnoException e.g. {@code EINVAL} when already attached
     */
    public void attach() throws ErrnoException {
        setQueue(TunnelFlags.IFF_ATTACH_QUEUE, "attach");
    }

    private void setQueue(TunnelFlags flag, String what) throws ErrnoException {
        ifreq.fill((byte) 0);
        InterfaceRequest.flags(ifreq, flag.value());
        int rc = system.ioctl(fd, TunIoctl.TUNSETQUEUE, ifreq);
        if (rc < 0) {
            throw new ErrnoException("ioctl(TUNSETQUEUE)", name, -rc, multiQueue
                ? "cannot " + what + " this queue in its current state" : "the device is not multi-queue");
        }
    }

    /**
     * Closes the fd once; later calls do nothing.
     *
     * @return 0, or {@code -errno} from {@code close} (the fd is gone either way)
     */
    public int closeFd() {
        int closing = fd;
        if (closing < 0) {
            return 0;
        }
        fd = -1;
        return system.close(closing);
    }

    /** Closes the fd; idempotent. On a multi-queue device the other queues stay open. */
    @Override
    public void close() {
        closeFd();
    }

    // ------------------------------------------------------------------ queries

    /**
     * The fd.
     *
     * @return the fd, or -1 once closed
     */
    public int fd() {
        return fd;
    }

    /**
     * The name the kernel gave the device (a pattern's completion).
     *
     * @return e.g. {@code tun0}
     */
    public String name() {
        return name;
    }

    /**
     * The device type.
     *
     * @return {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     */
    public TunnelFlags mode() {
        return mode;
    }

    /**
     * Whether every packet on the fd carries a virtio-net header ({@code IFF_VNET_HDR}).
     *
     * @return true with offload
     */
    public boolean hasVirtioHeader() {
        return virtioHeader;
    }

    /**
     * Whether the device is multi-queue ({@code IFF_MULTI_QUEUE}).
     *
     * @return true if so
     */
    public boolean isMultiQueue() {
        return multiQueue;
    }

    /**
     * The {@code TUN_F_*} offloads the kernel accepted ({@link Offloads}).
     *
     * @return the bits; 0 without a virtio header
     */
    public int offloads() {
        return offloads;
    }

    /**
     * The system calls the device goes through.
     *
     * @return the I/O system
     */
    public IOSystem system() {
        return system;
    }

    @Override
    public String toString() {
        return "TunDevice[" + name + " " + mode.name() + " fd=" + fd
            + (virtioHeader ? " vnet offloads=" + Offloads.describe(offloads) : "")
            + (multiQueue ? " multi-queue" : "") + "]";
    }
}
