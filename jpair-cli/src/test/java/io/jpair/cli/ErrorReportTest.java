package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.transport.CannotListenException;
import org.junit.jupiter.api.Test;

class ErrorReportTest {
    @Test
    void errnoFailuresReadAsDeviceOperationErrnoMeaningAndHint() {
        ErrnoException errno = new ErrnoException("ioctl(TUNSETIFF)", "jp0", Errno.EPERM, "needs CAP_NET_ADMIN");

        assertThat(ErrorReport.oneLine(new CannotListenException("jp0", errno)))
            .isEqualTo("jp0: ioctl(TUNSETIFF): EPERM (Operation not permitted): needs CAP_NET_ADMIN");
    }

    @Test
    void commandExceptionsAreTheirMessage() {
        assertThat(ErrorReport.oneLine(new CommandException("the demo needs root: run it with sudo")))
            .isEqualTo("the demo needs root: run it with sudo");
    }

    @Test
    void unexpectedFailuresNameTheirType() {
        assertThat(ErrorReport.oneLine(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
    }
}
