package io.jpair.netty;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.tuntap.RealIOSystem;
import io.jpair.tuntap.TunDevice;
import io.jpair.tuntap.TunnelFlags;
import io.jpair.tuntap.TunnelOptions;
import io.jpair.tuntap.offload.GsoSplitter;
import io.jpair.tuntap.offload.OffloadOptions;
import io.jpair.tuntap.offload.Offloads;
import io.jpair.tuntap.offload.VirtioNetHeader;
import io.jpair.tuntap.offload.WriteBatch;
import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.UncheckedBooleanSupplier;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A TUN or TAP device (one queue: one fd) as a Netty {@link io.netty.channel.Channel}. jpair
 * opens and configures the device through FFM ({@link TunDevice}); the channel registers the fd
 * with a Netty 4.2 {@link IoEventLoop} driven by {@code EpollIoHandler} or
 * {@code IoUringIoHandler}, and reads and writes it with Netty's own
 * {@link FileDescriptor#read(ByteBuffer, int, int)} / {@code write}, straight into and out of
 * pooled direct {@link ByteBuf}s: no copy, no allocation per packet, and no JNI beyond the
 * native library that Netty's loop loads anyway.
 *
 * <pre>{@code
 * EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
 * TunChannel tun = TunChannel.open("tun%d", TunnelFlags.IFF_TUN, TunnelOptions.defaults(),
 *     OffloadOptions.disabled());
 * tun.pipeline().addLast(handler);     // channelRead(ByteBuf packet): one packet per message
 * group.register(tun).sync();          // the channel is active at once
 * tun.writeAndFlush(packet);           // a ByteBuf holding one IP packet (or Ethernet frame on TAP)
 * }</pre>
 *
 * <p><b>Life cycle.</b> {@link #open} returns an open, active, unregistered channel: register it
 * with a compatible loop ({@code group.register(channel)}, or a {@code Bootstrap} whose
 * {@code channelFactory} returns it). {@code bind} and {@code connect} fail: the device has no
 * addresses of its own, and {@link #localAddress()} is a {@link TunAddress} naming it.
 * {@link #close()} closes the fd exactly once (the channel's {@link FileDescriptor} and the
 * {@link TunDevice} share one close) and completes {@link #closeFuture()}. For a multi-queue
 * device, {@link #openQueues} returns one channel per queue; register each on its own loop.
 *
 * <p><b>Reading.</b> When the loop reports the fd readable, the channel reads up to
 * {@code maxMessagesPerRead} (default 16) packets, each into a direct buffer of the configured
 * {@link RecvByteBufAllocator} (a {@link io.netty.channel.FixedRecvByteBufAllocator} of the
 * options' {@code maxPacketSize}, plus 4 bytes with packet information), fires
 * {@code channelRead} per packet and one {@code channelReadComplete} per batch. The handler that
 * consumes a packet releases it. With auto-read off, only {@link #read()} asks for one more batch.
 * With {@link TunnelOptions#packetInformation()} every packet starts with the kernel's 4-byte
 * header, in both directions.
 *
 * <p><b>Offload</b> (TUN only). With {@link OffloadOptions#any()} the fd carries a virtio-net
 * header; the channel hides it: a received super-packet is split into wire-size packets with
 * complete checksums (jpair's {@link GsoSplitter}), each delivered as its own {@code ByteBuf}; with
 * {@link OffloadOptions#txOffload()} the packets of one {@code flush()} are coalesced into GSO
 * super-packets ({@link WriteBatch}) before they reach the kernel. Coalesced packets' promises
 * succeed when they are taken into the batch; a failed super-packet write is reported through
 * {@code exceptionCaught}.
 *
 * <p><b>Writing.</b> Messages must be {@link ByteBuf}s, one packet each (heap or composite
 * buffers are copied into one direct buffer first). A write the kernel refuses with
 * {@code EAGAIN} waits for the fd to turn writable; any other error fails that packet's promise
 * and the next packet is tried. Pending bytes count against the write-buffer water marks, which
 * flip {@link #isWritable()} and fire {@code channelWritabilityChanged}.
 *
 * <p><b>A deleted device</b> ({@code ip link del}) makes the next read fail with {@code EBADFD}: the
 * channel fires {@code exceptionCaught} and closes. With auto-read off it notices at the next
 * {@link #read()} (the kernel wakes only pollers asking for input).
 *
 * <p><b>Threads.</b> As for every Netty channel, I/O runs on the channel's event loop; the
 * device must not be read or written by anything else while the channel is open.
 */
public final class TunChannel extends AbstractChannel {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final int PI_LENGTH = 4;

    /** {@code POLLIN} / {@code POLLOUT} from {@code <poll.h>}. */
    private static final int POLLIN = 0x1;
    private static final int POLLOUT = 0x4;
    /** io_uring opcodes from {@code <linux/io_uring.h>} (Netty's own constants are package-private). */
    private static final byte IORING_OP_POLL_ADD = 6;
    private static final byte IORING_OP_ASYNC_CANCEL = 14;
    private static final short POLL_IN_DATA = 1;
    private static final short POLL_OUT_DATA = 2;
    private static final short CANCEL_DATA = 3;

    private final TunDevice device;
    private final TunFileDescriptor fd;
    private final TunAddress local;
    private final TunChannelConfig config;
    private final boolean virtio;
    private final WriteBatch batch;
    private final ByteBuffer receiveScratch;
    private final ByteBuffer segmentScratch;
    private final ByteBuffer[] virtioParts;
    private final VirtioNetHeader header = new VirtioNetHeader();
    private final ByteBuffer copyScratch;
    /** The io_uring one-shot polls, built once: re-armed after every completion. */
    private final IoUringIoOps pollIn;
    private final IoUringIoOps pollOut;
    private volatile boolean active = true;

    private IoRegistration registration;
    private boolean uring;
    private boolean readPending;
    private boolean wantIn;
    private boolean wantOut;
    private int epollOps;
    private long pollInId;
    private long pollOutId;
    private boolean pollInArmed;
    private boolean pollOutArmed;
    private int batchWrites = -1;
    private int nextBatchWrite;
    private long droppedReads;
    private long failedWrites;

    private TunChannel(TunDevice device, TunnelOptions options, OffloadOptions offload) {
        super(null);
        this.device = device;
        this.fd = new TunFileDescriptor(device);
        this.local = new TunAddress(device.name(), device.mode());
        this.virtio = device.hasVirtioHeader();
        int packetBuffer = options.maxPacketSize() + (options.packetInformation() ? PI_LENGTH : 0);
        this.config = new TunChannelConfig(this, packetBuffer);
        this.copyScratch = ByteBuffer.allocateDirect(Math.max(packetBuffer, WriteBatch.MAX_PACKET));
        this.pollIn = pollAdd(fd.intValue(), POLLIN, POLL_IN_DATA);
        this.pollOut = pollAdd(fd.intValue(), POLLOUT, POLL_OUT_DATA);
        if (virtio) {
            Arena arena = Arena.ofAuto();
            // Little-endian, as in TunQueue: the splitter sums payload checksums faster without swaps.
            receiveScratch = arena.allocate(VirtioNetHeader.MAX_FRAME_LENGTH, 64).asByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
            segmentScratch = arena.allocate(VirtioNetHeader.MAX_FRAME_LENGTH, 64).asByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
            boolean udpGro = offload.udp() && Offloads.hasUso(device.offloads());
            batch = offload.txOffload() ? new WriteBatch(arena, udpGro) : null;
            ByteBuffer zeroHeader = ByteBuffer.allocateDirect(VirtioNetHeader.LENGTH);
            virtioParts = batch == null ? new ByteBuffer[] {zeroHeader, null} : null;
        } else {
            receiveScratch = null;
            segmentScratch = null;
            batch = null;
            virtioParts = null;
        }
    }

    /**
     * Opens and configures a device (one queue) through jpair and wraps it in a channel.
     *
     * @param name the device name or pattern, e.g. {@code "tun%d"}
     * @param mode {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     * @param options how to open the device (persist, owner, multi-queue, packet information...)
     * @param offload the virtio-net offloads (TUN only; {@link OffloadOptions#disabled()} for none)
     * @return an open, active channel, not yet registered with an event loop
     * @throws ErrnoException naming the call, the device and the errno; nothing is left open
     */
    public static TunChannel open(String name, TunnelFlags mode, TunnelOptions options, OffloadOptions offload)
            throws ErrnoException {
        checkOffload(mode, options, offload);
        TunDevice device = TunDevice.open(name, mode, options, offload, RealIOSystem.INSTANCE);
        return new TunChannel(device, options, offload);
    }

    /**
     * Opens {@code count} queues of one multi-queue device ({@code IFF_MULTI_QUEUE}), one channel
     * per queue: the first creates the device (or attaches to an existing multi-queue one), the
     * others attach to it by the name the kernel chose. The kernel spreads flows over the queues;
     * register each channel on its own event loop.
     *
     * @param name the device name or pattern
     * @param count how many queues, at least 1
     * @param mode {@link TunnelFlags#IFF_TUN} or {@link TunnelFlags#IFF_TAP}
     * @param options device options; multi-queue is added
     * @param offload the offload switches, the same for every queue
     * @return the channels, open and unregistered
     * @throws ErrnoException naming the failed call; every queue already opened is closed
     */
    public static TunChannel[] openQueues(String name, int count, TunnelFlags mode, TunnelOptions options,
            OffloadOptions offload) throws ErrnoException {
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive: " + count);
        }
        TunnelOptions multi = options.withMultiQueue(true);
        TunChannel[] channels = new TunChannel[count];
        try {
            channels[0] = open(name, mode, multi, offload);
            TunnelOptions attach = multi.withExclusive(false);
            for (int i = 1; i < count; i++) {
                channels[i] = open(channels[0].local.name(), mode, attach, offload);
            }
            return channels;
        } catch (ErrnoException | RuntimeException e) {
            for (TunChannel channel : channels) {
                if (channel != null) {
                    channel.device.close();
                    channel.active = false;
                }
            }
            throw e;
        }
    }

    private static void checkOffload(TunnelFlags mode, TunnelOptions options, OffloadOptions offload) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(offload, "offload");
        boolean virtio = offload.any() || options.extraFlags().contains(TunnelFlags.IFF_VNET_HDR);
        if (virtio && !mode.equals(TunnelFlags.IFF_TUN)) {
            throw new IllegalArgumentException("TunChannel supports offload (virtio-net headers) on TUN only, not " + mode);
        }
        if (virtio && options.packetInformation()) {
            throw new IllegalArgumentException("TunChannel does not combine offload with the packet-information header");
        }
    }

    // ------------------------------------------------------------------ Channel

    @Override
    public TunChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return fd.isOpen();
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public TunAddress localAddress() {
        return local;
    }

    /**
     * Always {@code null}: a device has no peer.
     *
     * @return {@code null}
     */
    @Override
    public SocketAddress remoteAddress() {
        return null;
    }

    /**
     * The fd, for diagnostics (e.g. {@code /proc/self/fd} checks); the channel owns it.
     *
     * @return the fd number, still returned after close
     */
    public int fd() {
        return fd.intValue();
    }

    /**
     * Whether the device carries virtio-net headers (opened with offload).
     *
     * @return true with offload
     */
    public boolean hasVirtioHeader() {
        return virtio;
    }

    /**
     * Packets read but dropped: super-packets the splitter could not handle.
     *
     * @return the count; read on the event loop for an exact value
     */
    public long droppedReads() {
        return droppedReads;
    }

    /**
     * Coalesced super-packets the kernel refused (their promises had already succeeded).
     *
     * @return the count; read on the event loop for an exact value
     */
    public long failedWrites() {
        return failedWrites;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new TunUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isCompatible(TunUnsafe.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return null;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        IoEventLoop loop = (IoEventLoop) eventLoop();
        uring = loop.isIoType(IoUringIoHandler.class);
        loop.register((TunUnsafe) unsafe()).addListener(f -> {
            if (f.isSuccess()) {
                registration = (IoRegistration) f.getNow();
                updateInterest();
                promise.setSuccess();
            } else {
                promise.setFailure(f.cause());
            }
        });
    }

    @Override
    protected void doDeregister() {
        IoRegistration reg = registration;
        if (reg != null) {
            registration = null;
            if (uring) {
                cancelPolls(reg);
            }
            epollOps = 0;
            reg.cancel();
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        throw new UnsupportedOperationException(local + ": a TUN/TAP channel is bound to its device when opened");
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() throws Exception {
        active = false;
        try {
            doDeregister();
        } finally {
            fd.close();
        }
    }

    @Override
    protected void doBeginRead() {
        readPending = true;
        if (!wantIn) {
            wantIn = true;
            updateInterest();
        }
    }

    /** Auto-read was switched off: stop asking the loop for readability unless a read is pending. */
    void clearReadInterest() {
        if (!isRegistered()) {
            // Nothing asked the loop for anything yet; registration submits the interest as it stands.
            return;
        }
        if (eventLoop().inEventLoop()) {
            clearReadInterest0();
        } else {
            eventLoop().execute(this::clearReadInterest0);
        }
    }

    private void clearReadInterest0() {
        if (!readPending && wantIn) {
            wantIn = false;
            updateInterest();
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf buf) {
            if (buf.isDirect() && buf.nioBufferCount() == 1) {
                return buf;
            }
            ByteBuf direct = alloc().directBuffer(buf.readableBytes());
            direct.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            ReferenceCountUtil.safeRelease(buf);
            return direct;
        }
        throw new UnsupportedOperationException(local + ": unsupported message type "
            + (msg == null ? "null" : msg.getClass().getName()) + " (expected: ByteBuf, one packet)");
    }

    // ------------------------------------------------------------------ interest

    private void updateInterest() {
        IoRegistration reg = registration;
        if (reg == null || !active) {
            return;
        }
        if (uring) {
            if (wantIn && !pollInArmed) {
                pollInId = reg.submit(pollIn);
                pollInArmed = true;
            }
            if (wantOut && !pollOutArmed) {
                pollOutId = reg.submit(pollOut);
                pollOutArmed = true;
            }
            return;
        }
        // Never NONE: Netty turns that into EPOLL_CTL_DEL and then fails the next MOD with ENOENT;
        // EPOLLERR is reported whether asked for or not, so it is the "nothing else" interest.
        int ops = EpollIoOps.EPOLLERR.value() | (wantIn ? EpollIoOps.EPOLLIN.value() : 0)
            | (wantOut ? EpollIoOps.EPOLLOUT.value() : 0);
        if (ops != epollOps) {
            epollOps = ops;
            reg.submit(EpollIoOps.valueOf(ops));
        }
    }

    private static IoUringIoOps pollAdd(int fd, int mask, short data) {
        return new IoUringIoOps(IORING_OP_POLL_ADD, (byte) 0, (short) 0, fd, 0L, 0L, 0, mask, (long) data,
            (short) 0, (short) 0, 0, 0L);
    }

    private void cancelPolls(IoRegistration reg) {
        if (pollInArmed) {
            reg.submit(asyncCancel(pollInId));
        }
        if (pollOutArmed) {
            reg.submit(asyncCancel(pollOutId));
        }
    }

    private static IoUringIoOps asyncCancel(long target) {
        return new IoUringIoOps(IORING_OP_ASYNC_CANCEL, (byte) 0, (short) 0, -1, 0L, target, 0, 0, (long) CANCEL_DATA,
            (short) 0, (short) 0, 0, 0L);
    }

    // ------------------------------------------------------------------ reading

    private void readReady() {
        if (!active) {
            return;
        }
        if (!readPending && !config.isAutoRead()) {
            clearReadInterest0();
            return;
        }
        RecvByteBufAllocator.ExtendedHandle handle = (RecvByteBufAllocator.ExtendedHandle) unsafe().recvBufAllocHandle();
        handle.reset(config);
        ChannelPipeline pipeline = pipeline();
        ByteBufAllocator alloc = config.getAllocator();
        IOException failure = null;
        try {
            int n;
            do {
                n = virtio ? readVirtio(handle, alloc, pipeline) : readPlain(handle, alloc, pipeline);
            } while (n > 0 && active && handle.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER));
        } catch (IOException e) {
            failure = e;
        }
        handle.readComplete();
        pipeline.fireChannelReadComplete();
        if (failure != null) {
            // A TUN read fails only when the device is gone (EBADFD) or broken: the channel is done.
            pipeline.fireExceptionCaught(new IOException(local + ": read failed: " + failure.getMessage(), failure));
            unsafe().close(voidPromise());
            return;
        }
        if (!readPending && !config.isAutoRead()) {
            clearReadInterest0();
        }
    }

    private int readPlain(RecvByteBufAllocator.ExtendedHandle handle, ByteBufAllocator alloc, ChannelPipeline pipeline)
            throws IOException {
        ByteBuf buf = alloc.directBuffer(handle.guess());
        int n;
        try {
            int writable = buf.writableBytes();
            handle.attemptedBytesRead(writable);
            if (hasCachedNioBuffer(buf)) {
                ByteBuffer nio = buf.internalNioBuffer(buf.writerIndex(), writable);
                n = fd.read(nio, nio.position(), nio.limit());
            } else {
                n = fd.read(copyScratch, 0, Math.min(writable, copyScratch.capacity()));
                if (n > 0) {
                    buf.setBytes(buf.writerIndex(), copyScratch.limit(n).position(0));
                    copyScratch.clear();
                }
            }
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        }
        if (n <= 0) {
            buf.release();
            handle.lastBytesRead(0);
            return 0;
        }
        buf.writerIndex(buf.writerIndex() + n);
        handle.lastBytesRead(n);
        handle.incMessagesRead(1);
        readPending = false;
        pipeline.fireChannelRead(buf);
        return n;
    }

    /**
     * Whether {@code internalNioBuffer} is a view the buffer keeps (pooled and unpooled buffers): then
     * the fd is read into and written from the buffer itself. Netty 4.2's default
     * {@code AdaptiveByteBufAllocator} makes a new NIO slice per call when {@code Unsafe} is off (the
     * JDK 25 default), about 80 bytes per packet, so its buffers go through one reused scratch
     * buffer instead: a copy, no allocation.
     */
    private static boolean hasCachedNioBuffer(ByteBuf buf) {
        return !(buf.alloc() instanceof AdaptiveByteBufAllocator);
    }

    private int readVirtio(RecvByteBufAllocator.ExtendedHandle handle, ByteBufAllocator alloc, ChannelPipeline pipeline)
            throws IOException {
        ByteBuffer frame = receiveScratch;
        handle.attemptedBytesRead(frame.capacity());
        int n = fd.read(frame, 0, frame.capacity());
        if (n <= 0) {
            handle.lastBytesRead(0);
            return 0;
        }
        handle.lastBytesRead(n);
        handle.incMessagesRead(1);
        readPending = false;
        int length = n - VirtioNetHeader.LENGTH;
        header.wrap(frame, 0);
        int segments = length > 0 ? GsoSplitter.segmentCount(header, frame, VirtioNetHeader.LENGTH, length)
            : GsoSplitter.MALFORMED;
        if (segments < 0) {
            droppedReads++;
            return n;
        }
        for (int i = 0; i < segments; i++) {
            int size = GsoSplitter.segment(header, frame, VirtioNetHeader.LENGTH, length, i, segmentScratch, 0);
            if (size < 0) {
                droppedReads++;
                return n;
            }
            ByteBuf buf = alloc.directBuffer(size, size);
            buf.writeBytes(segmentScratch);
            pipeline.fireChannelRead(buf);
        }
        return n;
    }

    // ------------------------------------------------------------------ writing

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        if (batch != null && batchWrites >= 0 && !drainBatch()) {
            waitForWritable();
            return;
        }
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                if (batch != null && !batch.isEmpty() && !drainBatch()) {
                    waitForWritable();
                    return;
                }
                stopWaitingForWritable();
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            int length = buf.readableBytes();
            if (batch != null) {
                if (length == 0 || length > WriteBatch.MAX_PACKET) {
                    in.remove(new IOException(local + ": cannot write a packet of " + length
                        + " bytes (1.." + WriteBatch.MAX_PACKET + ")"));
                    continue;
                }
                if (batch.isFull() && !drainBatch()) {
                    waitForWritable();
                    return;
                }
                if (hasCachedNioBuffer(buf)) {
                    batch.add(buf.internalNioBuffer(buf.readerIndex(), length));
                } else {
                    copyScratch.clear().limit(length);
                    buf.getBytes(buf.readerIndex(), copyScratch);
                    batch.add(copyScratch.flip());
                }
                in.remove();
                continue;
            }
            int written;
            try {
                written = writePacket(buf, length);
            } catch (IOException e) {
                in.remove(new IOException(local + ": write failed: " + e.getMessage(), e));
                continue;
            }
            if (written == 0 && length > 0) {
                waitForWritable();
                return;
            }
            in.remove();
        }
    }

    private int writePacket(ByteBuf buf, int length) throws IOException {
        ByteBuffer nio;
        if (hasCachedNioBuffer(buf)) {
            nio = buf.internalNioBuffer(buf.readerIndex(), length);
        } else {
            if (length > copyScratch.capacity()) {
                throw new IOException(local + ": cannot write a packet of " + length + " bytes (at most "
                    + copyScratch.capacity() + ")");
            }
            copyScratch.clear().limit(length);
            buf.getBytes(buf.readerIndex(), copyScratch);
            nio = copyScratch.flip();
        }
        if (virtioParts == null) {
            return fd.write(nio, nio.position(), nio.limit());
        }
        virtioParts[1] = nio;
        try {
            return (int) fd.writev(virtioParts, 0, 2, Long.MAX_VALUE);
        } finally {
            virtioParts[1] = null;
        }
    }

    /** Writes the coalesced batch; false when the kernel said {@code EAGAIN} (the rest is kept). */
    private boolean drainBatch() {
        if (batchWrites < 0) {
            batchWrites = batch.coalesce();
            nextBatchWrite = 0;
        }
        while (nextBatchWrite < batchWrites) {
            int rc = device.write(batch.packet(nextBatchWrite), batch.length(nextBatchWrite));
            if (rc == -Errno.EAGAIN) {
                return false;
            }
            if (rc < 0) {
                failedWrites++;
                pipeline().fireExceptionCaught(new ErrnoException("write", device.name(), -rc,
                    "the kernel refused a coalesced packet"));
            }
            nextBatchWrite++;
        }
        batch.clear();
        batchWrites = -1;
        return true;
    }

    private void waitForWritable() {
        if (!wantOut) {
            wantOut = true;
            updateInterest();
        }
    }

    private void stopWaitingForWritable() {
        if (wantOut) {
            wantOut = false;
            updateInterest();
        }
    }

    private void writeReady() {
        if (active) {
            ((TunUnsafe) unsafe()).forceFlush();
        }
    }

    /** Netty's unsafe, which is also the loop's handle for the fd (epoll or io_uring). */
    private final class TunUnsafe extends AbstractUnsafe implements EpollIoHandle, IoUringIoHandle {
        @Override
        public FileDescriptor fd() {
            return fd;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            if (event instanceof EpollIoEvent epoll) {
                int ops = epoll.ops().value();
                int err = EpollIoOps.EPOLLERR.value();
                if ((ops & (EpollIoOps.EPOLLOUT.value() | err)) != 0) {
                    writeReady();
                }
                if ((ops & err) != 0) {
                    // The device is gone (tun_chr_poll reports EPOLLERR without a tun): read, even with
                    // auto-read off, so the read fails and closes the channel instead of the
                    // level-triggered error waking the loop forever.
                    readPending = true;
                }
                if ((ops & (EpollIoOps.EPOLLIN.value() | err)) != 0) {
                    readReady();
                }
            } else if (event instanceof IoUringIoEvent completion) {
                handleCompletion(completion);
            }
        }

        private void handleCompletion(IoUringIoEvent completion) {
            if (completion.opcode() != IORING_OP_POLL_ADD) {
                return;
            }
            short data = (short) completion.userData();
            boolean ready = completion.res() >= 0;
            if (data == POLL_OUT_DATA) {
                pollOutArmed = false;
                if (ready && wantOut) {
                    writeReady();
                }
            } else if (data == POLL_IN_DATA) {
                pollInArmed = false;
                if (ready && wantIn) {
                    readReady();
                }
            }
            // One-shot polls: ask again for whatever is still wanted.
            updateInterest();
        }

        void forceFlush() {
            super.flush0();
        }

        @Override
        protected void flush0() {
            // While waiting for EPOLLOUT the loop flushes when the fd turns writable.
            if (!wantOut) {
                super.flush0();
            }
        }

        @Override
        public void connect(SocketAddress remote, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException(local + ": a TUN/TAP channel has no peer"));
        }

        @Override
        public void close() {
            close(voidPromise());
        }
    }

    /** Netty's view of the device fd; its one close is the {@link TunDevice}'s. */
    private static final class TunFileDescriptor extends FileDescriptor {
        private final TunDevice device;

        TunFileDescriptor(TunDevice device) {
            super(device.fd());
            this.device = device;
        }

        @Override
        public void close() throws IOException {
            if (markClosed()) {
                int rc = device.closeFd();
                if (rc < 0) {
                    throw new ErrnoException("close", device.name(), -rc);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TunChannel(" + local + ", fd " + fd.intValue() + (isOpen() ? "" : ", closed") + ")";
    }
}
