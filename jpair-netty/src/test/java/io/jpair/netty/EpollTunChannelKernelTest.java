package io.jpair.netty;

import io.jpair.kernel.KernelTest;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;

/** {@link TunChannelContract} on Netty's {@code EpollIoHandler}. */
@KernelTest
class EpollTunChannelKernelTest extends TunChannelContract {
    @Override
    IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }
}
