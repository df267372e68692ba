package io.jpair.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpair.kernel.KernelTest;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;

/**
 * {@link TunChannelContract} on Netty's {@code IoUringIoHandler} (one-shot {@code POLL_ADD}
 * readiness, then the same reads and writes); skipped, with Netty's reason, on a kernel without
 * io_uring.
 */
@KernelTest
class IoUringTunChannelKernelTest extends TunChannelContract {
    @Override
    IoHandlerFactory ioHandlerFactory() {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        return IoUringIoHandler.newFactory();
    }
}
