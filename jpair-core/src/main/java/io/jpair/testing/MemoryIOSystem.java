package io.jpair.testing;

import io.jpair.errno.Errno;
import io.jpair.tuntap.IOSystem;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TuntapPort;
import io.jpair.tuntap.internal.InterfaceRequest;
import io.jpair.tuntap.internal.TunIoctl;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-memory {@link IOSystem} (Twisted's {@code twisted.pair.testing.MemoryIOSystem}): opening
 * {@code /dev/net/tun} gives a {@link MemoryTunnel}, and {@code TUNSETIFF} creates or attaches a
 * named in-memory interface with the kernel's rules, so a {@link TuntapPort} can be tested
 * without root.
 *
 * <p>Kernel rules it follows: a {@code %d} in the name is replaced by the lowest free number;
 * attaching to an existing interface fails with {@code EBUSY} under {@code IFF_TUN_EXCL} or while
 * another fd holds it, with {@code EINVAL} when TUN/TAP differ; a second {@code TUNSETIFF} on one
 * fd gives {@code EEXIST}; an interface disappears with its last fd unless made persistent.
 * Unknown fds give {@code EBADF}, unknown requests {@code EINVAL}, unknown paths {@code ENOENT}.
 *
 * <p>Offload: {@code IFF_VNET_HDR}, {@code TUNSETVNETHDRSZ} (at least 10 bytes) and
 * {@code TUNSETOFFLOAD} are accepted as by a kernel with USO (Linux 6.2+); a TSO/USO bit without
 * {@code TUN_F_CSUM}, or a bit outside {@link #supportedOffloads(int)}, gives {@code EINVAL}, so
 * an older kernel's refusal can be played. See {@link MemoryTunnel} for what reads and writes
 * look like with the virtio header.
 *
 * <p>Privilege: {@code open} and {@code ioctl} fail with {@code EPERM} when their name is removed
 * from {@link #permissions()} (Twisted's {@code _privileged}); read, write and close never do.
 * fds start at 8192 and are never reused.
 *
 * <p>Single-threaded, like the port that uses it.
 */
public final class MemoryIOSystem implements IOSystem {
    private final Set<String> permissions = new HashSet<>(Set.of("open", "ioctl"));
    private static final int FIRST_FD = 8192;
    private final Map<Integer, MemoryTunnel> openFiles = new LinkedHashMap<>();
    // Lookup by fd without boxing, so the packet path through this fake allocates nothing.
    private MemoryTunnel[] byFd = new MemoryTunnel[16];
    private final Map<String, Interface> interfaces = new LinkedHashMap<>();
    private int nextFd = FIRST_FD;
    private int supportedOffloads = Offloads.TUN_F_CSUM | Offloads.TUN_F_TSO4 | Offloads.TUN_F_TSO6
        | Offloads.TUN_F_TSO_ECN | Offloads.TUN_F_UFO | Offloads.TUN_F_USO4 | Offloads.TUN_F_USO6;

    /** A system with no open files and no interfaces, where open and ioctl are permitted. */
    public MemoryIOSystem() {
    }

    private static final class Interface {
        final int type;
        boolean persistent;
        int owner = -1;
        int group = -1;
        MemoryTunnel attached;

        Interface(int type) {
            this.type = type;
        }
    }

    /**
     * The privileged calls allowed; remove {@code "open"} or {@code "ioctl"} to make them fail with
     * {@code EPERM}.
     *
     * @return the live set
     */
    public Set<String> permissions() {
        return permissions;
    }

    /**
     * Sets the {@code TUN_F_*} bits {@code TUNSETOFFLOAD} accepts, e.g. without
     * {@code TUN_F_USO4|TUN_F_USO6} to play a kernel older than 6.2.
     *
     * @param bits the accepted bits
     */
    public void supportedOffloads(int bits) {
        supportedOffloads = bits;
    }

    /**
     * The tunnel behind a port.
     *
     * @param port a started port on this system
     * @return its tunnel
     * @throws IllegalArgumentException if the port's fd is not open here
     */
    public MemoryTunnel getTunnel(TuntapPort port) {
        MemoryTunnel tunnel = tunnel(port.fileno());
        if (tunnel == null) {
            throw new IllegalArgumentException(port + " has no open tunnel in this system");
        }
        return tunnel;
    }

    /**
     * The tunnels currently open, by fd.
     *
     * @return a snapshot
     */
    public Map<Integer, MemoryTunnel> openFiles() {
        return Map.copyOf(openFiles);
    }

    /**
     * The interfaces that exist now.
     *
     * @return their names
     */
    public Set<String> interfaceNames() {
        return Set.copyOf(interfaces.keySet());
    }

    /**
     * Creates a persistent interface, as {@code ip tuntap add} would.
     *
     * @param name the name
     * @param type {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     */
    public void createPersistentInterface(String name, TunnelFlags type) {
        Interface device = new Interface(type.value());
        device.persistent = true;
        interfaces.put(name, device);
    }

    private MemoryTunnel tunnel(int fd) {
        int index = fd - FIRST_FD;
        return index >= 0 && index < byFd.length ? byFd[index] : null;
    }

    @Override
    public int open(String path, int flags) {
        if (!permissions.contains("open")) {
            return -Errno.EPERM;
        }
        if (!TuntapPort.TUN_DEVICE.equals(path)) {
            return -Errno.ENOENT;
        }
        int fd = nextFd++;
        MemoryTunnel tunnel = new MemoryTunnel(flags);
        openFiles.put(fd, tunnel);
        if (fd - FIRST_FD >= byFd.length) {
            byFd = java.util.Arrays.copyOf(byFd, byFd.length * 2);
        }
        byFd[fd - FIRST_FD] = tunnel;
        return fd;
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment arg) {
        if (!permissions.contains("ioctl")) {
            return -Errno.EPERM;
        }
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        if (request == TunIoctl.TUNSETIFF) {
            return setInterface(tunnel, arg);
        }
        if (request == TunIoctl.TUNGETIFF && tunnel.name() != null) {
            InterfaceRequest.name(arg, tunnel.name());
            InterfaceRequest.flags(arg, tunnel.tunnelMode());
            return 0;
        }
        if (request == TunIoctl.TUNSETVNETHDRSZ) {
            int size = arg.get(ValueLayout.JAVA_INT, 0);
            if (size < VirtioNetHeader.LENGTH) {
                return -Errno.EINVAL;
            }
            tunnel.virtioHeaderSize(size);
            return 0;
        }
        if (request == TunIoctl.TUNGETFEATURES) {
            arg.set(ValueLayout.JAVA_INT, 0, 0x0001 | 0x0002 | 0x1000 | 0x4000 | 0x8000 | 0x0100);
            return 0;
        }
        return -Errno.EINVAL;
    }

    private int setInterface(MemoryTunnel tunnel, MemorySegment ifreq) {
        if (tunnel.name() != null) {
            return -Errno.EEXIST;
        }
        String requested = InterfaceRequest.name(ifreq);
        int flags = InterfaceRequest.flags(ifreq);
        int type = flags & (TunnelFlags.IFF_TUN.value() | TunnelFlags.IFF_TAP.value());
        if (type == 0 || type == 3) {
            return -Errno.EINVAL;
        }
        String name = requested.isEmpty() ? (type == 1 ? "tun%d" : "tap%d") : requested;
        if (name.contains("%d")) {
            int n = 0;
            while (interfaces.containsKey(name.replace("%d", Integer.toString(n)))) {
                n++;
            }
            name = name.replace("%d", Integer.toString(n));
        }
        Interface device = interfaces.get(name);
        if (device != null) {
            if ((flags & TunnelFlags.IFF_TUN_EXCL.value()) != 0 || device.attached != null) {
                return -Errno.EBUSY;
            }
            if (device.type != type) {
                return -Errno.EINVAL;
            }
        } else {
            device = new Interface(type);
            interfaces.put(name, device);
        }
        device.attached = tunnel;
        tunnel.configure(flags & ~TunnelFlags.IFF_TUN_EXCL.value(), requested, name);
        InterfaceRequest.name(ifreq, name);
        return 0;
    }

    @Override
    public int ioctl(int fd, long request, long value) {
        if (!permissions.contains("ioctl")) {
            return -Errno.EPERM;
        }
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        Interface device = tunnel.name() == null ? null : interfaces.get(tunnel.name());
        if (device == null) {
            return -77; // EBADFD: the fd has no device yet
        }
        if (request == TunIoctl.TUNSETPERSIST) {
            device.persistent = value != 0;
        } else if (request == TunIoctl.TUNSETOWNER) {
            device.owner = (int) value;
        } else if (request == TunIoctl.TUNSETGROUP) {
            device.group = (int) value;
        } else if (request == TunIoctl.TUNSETOFFLOAD) {
            int segmentation = Offloads.TUN_F_TSO4 | Offloads.TUN_F_TSO6 | Offloads.TUN_F_USO4 | Offloads.TUN_F_USO6;
            if ((value & ~(long) supportedOffloads) != 0
                    || ((value & segmentation) != 0 && (value & Offloads.TUN_F_CSUM) == 0)) {
                return -Errno.EINVAL;
            }
            tunnel.offloads((int) value);
        } else {
            return -Errno.EINVAL;
        }
        return 0;
    }

    @Override
    public int read(int fd, MemorySegment dst, int length) {
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        return tunnel.read(dst, (int) Math.min(length, dst.byteSize()));
    }

    @Override
    public int write(int fd, MemorySegment src, int length) {
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        return tunnel.write(src, length);
    }

    @Override
    public long writev(int fd, ByteBuffer[] parts, int offset, int count) {
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += parts[offset + i].remaining();
        }
        byte[] packet = new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer part = parts[offset + i];
            part.get(part.position(), packet, at, part.remaining());
            at += part.remaining();
        }
        return tunnel.write(packet);
    }

    @Override
    public int close(int fd) {
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            return -Errno.EBADF;
        }
        openFiles.remove(fd);
        byFd[fd - FIRST_FD] = null;
        tunnel.markClosed();
        if (tunnel.name() != null) {
            Interface device = interfaces.get(tunnel.name());
            if (device != null && device.attached == tunnel) {
                device.attached = null;
                if (!device.persistent) {
                    interfaces.remove(tunnel.name());
                }
            }
        }
        return 0;
    }

    @Override
    public int interfaceIndex(String name) {
        int index = 1;
        for (String known : interfaces.keySet()) {
            index++;
            if (known.equals(name)) {
                return index;
            }
        }
        return -Errno.ENODEV;
    }

    /**
     * Sends a UDP datagram "from the network" into the first open tunnel, as Twisted's
     * {@code sendUDP}: an IPv4/UDP packet from 10.1.2.3:21345 to {@code host:port}.
     *
     * @param payload the datagram
     * @param host the destination IPv4 address, dotted quad
     * @param port the destination port
     * @return the source address and port the packet claims
     */
    public InetEndpoint sendUDP(byte[] payload, String host, int port) {
        MemoryTunnel tunnel = openFiles.values().stream().filter(t -> t.name() != null).findFirst()
            .orElseThrow(() -> new IllegalStateException("no configured tunnel is open"));
        InetEndpoint source = new InetEndpoint("10.1.2.3", 21345);
        tunnel.addToReadBuffer(Packets.ipv4(source.host(), host, Packets.PROTO_UDP,
            Packets.udp(source.port(), port, payload)));
        return source;
    }

    /**
     * The payloads of UDP datagrams to {@code port} among the packets the port wrote to a tunnel
     * (Twisted's {@code receiveUDP}): unwraps Ethernet on TAP and the PI header when present.
     *
     * @param fd the tunnel's fd
     * @param port the destination UDP port to match
     * @return the payloads, in write order
     */
    public List<byte[]> receiveUDP(int fd, int port) {
        MemoryTunnel tunnel = tunnel(fd);
        if (tunnel == null) {
            throw new IllegalArgumentException("fd " + fd + " is not open");
        }
        boolean pi = (tunnel.tunnelMode() & TunnelFlags.IFF_NO_PI.value()) == 0;
        boolean tap = (tunnel.tunnelMode() & TunnelFlags.IFF_TAP.value()) != 0;
        List<byte[]> payloads = new ArrayList<>();
        for (byte[] written : tunnel.writeBuffer()) {
            byte[] payload = Packets.udpPayloadTo(written, port, pi ? MemoryTunnel.PI_SIZE : 0, tap);
            if (payload != null) {
                payloads.add(payload);
            }
        }
        return payloads;
    }

    /**
     * An IPv4 address and port.
     *
     * @param host dotted quad
     * @param port UDP port
     */
    public record InetEndpoint(String host, int port) {
    }
}
