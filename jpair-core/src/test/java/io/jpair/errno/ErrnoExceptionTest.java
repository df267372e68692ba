package io.jpair.errno;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Specification of {@link ErrnoException}'s one-line message and fields. */
class ErrnoExceptionTest {
    @Test
    void messageNamesDeviceOperationErrnoAndHint() {
        ErrnoException e = new ErrnoException("ioctl(TUNSETIFF)", "tun0", Errno.EPERM,
            "needs CAP_NET_ADMIN or a device owned by this user");

        assertThat(e).hasMessage("tun0: ioctl(TUNSETIFF): EPERM (Operation not permitted): "
            + "needs CAP_NET_ADMIN or a device owned by this user");
    }

    @Test
    void messageOmitsTheDeviceWhenThereIsNone() {
        ErrnoException e = new ErrnoException("epoll_create1", null, Errno.EMFILE);

        assertThat(e).hasMessage("epoll_create1: EMFILE (Too many open files)");
    }

    @Test
    void messageOmitsTheHintWhenThereIsNone() {
        ErrnoException e = new ErrnoException("open", "/dev/net/tun", Errno.ENOENT);

        assertThat(e).hasMessage("/dev/net/tun: open: ENOENT (No such file or directory)");
    }

    @Test
    void messageForAnUnknownErrnoStillReadsWell() {
        ErrnoException e = new ErrnoException("read", "tap0", 4000);

        assertThat(e).hasMessage("tap0: read: E4000 (Unknown error 4000)");
    }

    @Test
    void keepsItsParts() {
        ErrnoException e = new ErrnoException("write", "tun0", Errno.EIO, "bring the link up");

        assertThat(e.operation()).isEqualTo("write");
        assertThat(e.device()).isEqualTo("tun0");
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.errnoName()).isEqualTo("EIO");
        assertThat(e.hint()).isEqualTo("bring the link up");
    }

    @Test
    void isAnIOException() {
        assertThat(new ErrnoException("close", null, Errno.EBADF)).isInstanceOf(IOException.class);
    }
}
