package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import org.junit.jupiter.api.Test;

class ReactorErrorsTest {
    @Test
    void aReadFailingWithEbadfdSaysTheDeviceWasDeleted() {
        ErrnoException deleted = new ErrnoException("read", "jt0", Errno.EBADFD,
            "the device was deleted while the port was open");

        assertThat(ReactorErrors.describe("jt0", deleted)).isEqualTo("jt0 was deleted (read: EBADFD)");
    }

    @Test
    void anyOtherPortFailureNamesTheDeviceAndTheErrno() {
        ErrnoException failed = new ErrnoException("read", "jt0", Errno.EINVAL);

        assertThat(ReactorErrors.describe("jt0", failed)).startsWith("jt0 failed: jt0: read: EINVAL");
    }

    @Test
    void noPortFailureUntilThePortFails() {
        ReactorErrors errors = new ReactorErrors(false);

        errors.onError(null, new IllegalStateException("a scheduled call failed"));

        assertThat(errors.portFailure()).isNull();
    }
}
