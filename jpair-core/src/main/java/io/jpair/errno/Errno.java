package io.jpair.errno;

/**
 * Linux {@code errno} values with their symbolic names and descriptions (glibc's
 * {@code strerror} text), so errors can say {@code EPERM (Operation not permitted)} without a
 * native call.
 *
 * <p>The numbers are the asm-generic table used by x86_64, aarch64, riscv64, ppc64 and s390x.
 * Alpha, MIPS, PA-RISC and SPARC number some errors differently; jpair does not run there (see
 * {@code io.jpair.sys.Arch}).
 *
 * <p>Thread-safe: immutable tables only.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Input/output error (a TUN write while the link is down). */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Resource temporarily unavailable: nothing to read, or a full queue on a non-blocking fd. */
    public static final int EAGAIN = 11;
    /** Same value as {@link #EAGAIN} on Linux. */
    public static final int EWOULDBLOCK = EAGAIN;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** Broken pipe: the write side was shut down. */
    public static final int EPIPE = 32;
    /** Inappropriate ioctl for device. */
    public static final int ENOTTY = 25;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** File descriptor in bad state: a TUN fd whose device was deleted. */
    public static final int EBADFD = 77;
    /** Message too long. */
    public static final int EMSGSIZE = 90;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is down. */
    public static final int ENETDOWN = 100;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;

    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** Software caused connection abort. */
    public static final int ECONNABORTED = 103;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Transport endpoint is not connected. */
    public static final int ENOTCONN = 107;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;
    /** Operation now in progress (a non-blocking connect). */
    public static final int EINPROGRESS = 115;
    /** Too many open files in system. */
    public static final int ENFILE = 23;

    private static final String[][] TABLE = {
        {"0", "Success"},
        {"EPERM", "Operation not permitted"},
        {"ENOENT", "No such file or directory"},
        {"ESRCH", "No such process"},
        {"EINTR", "Interrupted system call"},
        {"EIO", "Input/output error"},
        {"ENXIO", "No such device or address"},
        {"E2BIG", "Argument list too long"},
        {"ENOEXEC", "Exec format error"},
        {"EBADF", "Bad file descriptor"},
        {"ECHILD", "No child processes"},
        {"EAGAIN", "Resource temporarily unavailable"},
        {"ENOMEM", "Cannot allocate memory"},
        {"EACCES", "Permission denied"},
        {"EFAULT", "Bad address"},
        {"ENOTBLK", "Block device required"},
        {"EBUSY", "Device or resource busy"},
        {"EEXIST", "File exists"},
        {"EXDEV", "Invalid cross-device link"},
        {"ENODEV", "No such device"},
        {"ENOTDIR", "Not a directory"},
        {"EISDIR", "Is a directory"},
        {"EINVAL", "Invalid argument"},
        {"ENFILE", "Too many open files in system"},
        {"EMFILE", "Too many open files"},
        {"ENOTTY", "Inappropriate ioctl for device"},
        {"ETXTBSY", "Text file busy"},
        {"EFBIG", "File too large"},
        {"ENOSPC", "No space left on device"},
        {"ESPIPE", "Illegal seek"},
        {"EROFS", "Read-only file system"},
        {"EMLINK", "Too many links"},
        {"EPIPE", "Broken pipe"},
        {"EDOM", "Numerical argument out of domain"},
        {"ERANGE", "Numerical result out of range"},
        {"EDEADLK", "Resource deadlock avoided"},
        {"ENAMETOOLONG", "File name too long"},
        {"ENOLCK", "No locks available"},
        {"ENOSYS", "Function not implemented"},
        {"ENOTEMPTY", "Directory not empty"},
        {"ELOOP", "Too many levels of symbolic links"},
        {"E41", "Unknown error 41"},
        {"ENOMSG", "No message of desired type"},
        {"EIDRM", "Identifier removed"},
        {"ECHRNG", "Channel number out of range"},
        {"EL2NSYNC", "Level 2 not synchronized"},
        {"EL3HLT", "Level 3 halted"},
        {"EL3RST", "Level 3 reset"},
        {"ELNRNG", "Link number out of range"},
        {"EUNATCH", "Protocol driver not attached"},
        {"ENOCSI", "No CSI structure available"},
        {"EL2HLT", "Level 2 halted"},
        {"EBADE", "Invalid exchange"},
        {"EBADR", "Invalid request descriptor"},
        {"EXFULL", "Exchange full"},
        {"ENOANO", "No anode"},
        {"EBADRQC", "Invalid request code"},
        {"EBADSLT", "Invalid slot"},
        {"E58", "Unknown error 58"},
        {"EBFONT", "Bad font file format"},
        {"ENOSTR", "Device not a stream"},
        {"ENODATA", "No data available"},
        {"ETIME", "Timer expired"},
        {"ENOSR", "Out of streams resources"},
        {"ENONET", "Machine is not on the network"},
        {"ENOPKG", "Package not installed"},
        {"EREMOTE", "Object is remote"},
        {"ENOLINK", "Link has been severed"},
        {"EADV", "Advertise error"},
        {"ESRMNT", "Srmount error"},
        {"ECOMM", "Communication error on send"},
        {"EPROTO", "Protocol error"},
        {"EMULTIHOP", "Multihop attempted"},
        {"EDOTDOT", "RFS specific error"},
        {"EBADMSG", "Bad message"},
        {"EOVERFLOW", "Value too large for defined data type"},
        {"ENOTUNIQ", "Name not unique on network"},
        {"EBADFD", "File descriptor in bad state"},
        {"EREMCHG", "Remote address changed"},
        {"ELIBACC", "Can not access a needed shared library"},
        {"ELIBBAD", "Accessing a corrupted shared library"},
        {"ELIBSCN", ".lib section in a.out corrupted"},
        {"ELIBMAX", "Attempting to link in too many shared libraries"},
        {"ELIBEXEC", "Cannot exec a shared library directly"},
        {"EILSEQ", "Invalid or incomplete multibyte or wide character"},
        {"ERESTART", "Interrupted system call should be restarted"},
        {"ESTRPIPE", "Streams pipe error"},
        {"EUSERS", "Too many users"},
        {"ENOTSOCK", "Socket operation on non-socket"},
        {"EDESTADDRREQ", "Destination address required"},
        {"EMSGSIZE", "Message too long"},
        {"EPROTOTYPE", "Protocol wrong type for socket"},
        {"ENOPROTOOPT", "Protocol not available"},
        {"EPROTONOSUPPORT", "Protocol not supported"},
        {"ESOCKTNOSUPPORT", "Socket type not supported"},
        {"EOPNOTSUPP", "Operation not supported"},
        {"EPFNOSUPPORT", "Protocol family not supported"},
        {"EAFNOSUPPORT", "Address family not supported by protocol"},
        {"EADDRINUSE", "Address already in use"},
        {"EADDRNOTAVAIL", "Cannot assign requested address"},
        {"ENETDOWN", "Network is down"},
        {"ENETUNREACH", "Network is unreachable"},
        {"ENETRESET", "Network dropped connection on reset"},
        {"ECONNABORTED", "Software caused connection abort"},
        {"ECONNRESET", "Connection reset by peer"},
        {"ENOBUFS", "No buffer space available"},
        {"EISCONN", "Transport endpoint is already connected"},
        {"ENOTCONN", "Transport endpoint is not connected"},
        {"ESHUTDOWN", "Cannot send after transport endpoint shutdown"},
        {"ETOOMANYREFS", "Too many references: cannot splice"},
        {"ETIMEDOUT", "Connection timed out"},
        {"ECONNREFUSED", "Connection refused"},
        {"EHOSTDOWN", "Host is down"},
        {"EHOSTUNREACH", "No route to host"},
        {"EALREADY", "Operation already in progress"},
        {"EINPROGRESS", "Operation now in progress"},
        {"ESTALE", "Stale file handle"},
        {"EUCLEAN", "Structure needs cleaning"},
        {"ENOTNAM", "Not a XENIX named type file"},
        {"ENAVAIL", "No XENIX semaphores available"},
        {"EISNAM", "Is a named type file"},
        {"EREMOTEIO", "Remote I/O error"},
        {"EDQUOT", "Disk quota exceeded"},
        {"ENOMEDIUM", "No medium found"},
        {"EMEDIUMTYPE", "Wrong medium type"},
        {"ECANCELED", "Operation canceled"},
        {"ENOKEY", "Required key not available"},
        {"EKEYEXPIRED", "Key has expired"},
        {"EKEYREVOKED", "Key has been revoked"},
        {"EKEYREJECTED", "Key was rejected by service"},
        {"EOWNERDEAD", "Owner died"},
        {"ENOTRECOVERABLE", "State not recoverable"},
        {"ERFKILL", "Operation not possible due to RF-kill"},
        {"EHWPOISON", "Memory page has hardware error"},
    };

    private Errno() {
    }

    /**
     * The symbolic name of an errno value.
     *
     * @param errno a positive errno value
     * @return e.g. {@code "EPERM"}, or {@code "E<n>"} for a value outside the table
     */
    public static String name(int errno) {
        return errno > 0 && errno < TABLE.length ? TABLE[errno][0] : "E" + errno;
    }

    /**
     * The description glibc's {@code strerror} gives for an errno value.
     *
     * @param errno a positive errno value
     * @return e.g. {@code "Operation not permitted"}
     */
    public static String description(int errno) {
        return errno > 0 && errno < TABLE.length ? TABLE[errno][1] : "Unknown error " + errno;
    }

    /**
     * The errno value for a symbolic name.
     *
     * @param name e.g. {@code "EBUSY"}
     * @return the value
     * @throws IllegalArgumentException if the name is unknown
     */
    public static int valueOf(String name) {
        for (int i = 1; i < TABLE.length; i++) {
            if (TABLE[i][0].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown errno name: " + name);
    }
}
