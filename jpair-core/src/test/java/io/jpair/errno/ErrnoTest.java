package io.jpair.errno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Specification of {@link Errno}: Linux errno names and glibc descriptions. */
class ErrnoTest {
    @ParameterizedTest(name = "{0} is {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
        1   | EPERM        | Operation not permitted
        2   | ENOENT       | No such file or directory
        4   | EINTR        | Interrupted system call
        5   | EIO          | Input/output error
        9   | EBADF        | Bad file descriptor
        11  | EAGAIN       | Resource temporarily unavailable
        12  | ENOMEM       | Cannot allocate memory
        13  | EACCES       | Permission denied
        16  | EBUSY        | Device or resource busy
        17  | EEXIST       | File exists
        19  | ENODEV       | No such device
        22  | EINVAL       | Invalid argument
        24  | EMFILE       | Too many open files
        25  | ENOTTY       | Inappropriate ioctl for device
        38  | ENOSYS       | Function not implemented
        90  | EMSGSIZE     | Message too long
        95  | EOPNOTSUPP   | Operation not supported
        100 | ENETDOWN     | Network is down
        105 | ENOBUFS      | No buffer space available
        111 | ECONNREFUSED | Connection refused
        133 | EHWPOISON    | Memory page has hardware error
        """)
    void commonValuesHaveTheirNameAndDescription(int value, String name, String description) {
        assertThat(Errno.name(value)).isEqualTo(name);
        assertThat(Errno.description(value)).isEqualTo(description);
        assertThat(Errno.valueOf(name)).isEqualTo(value);
    }

    @Test
    void constantsMatchTheTable() {
        assertThat(Errno.name(Errno.EPERM)).isEqualTo("EPERM");
        assertThat(Errno.name(Errno.EAGAIN)).isEqualTo("EAGAIN");
        assertThat(Errno.name(Errno.ENOBUFS)).isEqualTo("ENOBUFS");
        assertThat(Errno.name(Errno.ECONNREFUSED)).isEqualTo("ECONNREFUSED");
        assertThat(Errno.EWOULDBLOCK).isEqualTo(Errno.EAGAIN);
    }

    @Test
    void unknownValuesGetAGenericNameAndDescription() {
        assertThat(Errno.name(4095)).isEqualTo("E4095");
        assertThat(Errno.description(4095)).isEqualTo("Unknown error 4095");
    }

    @Test
    void zeroAndNegativeValuesAreUnknown() {
        assertThat(Errno.name(0)).isEqualTo("E0");
        assertThat(Errno.name(-1)).isEqualTo("E-1");
        assertThat(Errno.description(-1)).isEqualTo("Unknown error -1");
    }

    @Test
    void valueOfRejectsAnUnknownName() {
        assertThatThrownBy(() -> Errno.valueOf("ENOTREAL")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ENOTREAL");
    }
}
