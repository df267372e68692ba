/**
 * Optional Netty 4.2 channel for jpair's TUN/TAP devices: {@code requires io.jpair.netty;} and
 * open a {@link io.jpair.netty.TunChannel} on an {@code IoEventLoop} of
 * {@code EpollIoHandler} or {@code IoUringIoHandler}. jpair opens and configures the device
 * through FFM; Netty drives the fd with its own epoll or io_uring native library. The module adds
 * no JNI code.
 */
module io.jpair.netty {
    requires transitive io.jpair.core;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires org.slf4j;

    exports io.jpair.netty;
}
