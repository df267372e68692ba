package io.jpair.errno;

import java.io.IOException;

/**
 * A failed system call: the operation, the device it concerned (if any), the errno value with its
 * symbolic name and description, and a hint on what to do.
 *
 * <p>The message is one line, e.g.
 * {@code tun0: ioctl(TUNSETIFF): EPERM (Operation not permitted): needs CAP_NET_ADMIN or a device
 * owned by this user}. {@code EAGAIN} and {@code EINTR} are never reported this way on jpair's
 * packet paths: they are normal flow there.
 */
public class ErrnoException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The call that failed, e.g. {@code "ioctl(TUNSETIFF)"}. */
    private final String operation;
    /** The device or path concerned, or {@code null}. */
    private final String device;
    /** The positive errno value. */
    private final int errno;
    /** What the user can do about it, or {@code null}. */
    private final String hint;

    /**
     * Creates the exception.
     *
     * @param operation the call that failed, e.g. {@code "ioctl(TUNSETIFF)"}
     * @param device the device or path concerned, or {@code null}
     * @param errno the positive errno value
     * @param hint what the user can do about it, or {@code null}
     */
    public ErrnoException(String operation, String device, int errno, String hint) {
        super(format(operation, device, errno, hint));
        this.operation = operation;
        this.device = device;
        this.errno = errno;
        this.hint = hint;
    }

    /**
     * Creates the exception with no hint.
     *
     * @param operation the call that failed
     * @param device the device or path concerned, or {@code null}
     * @param errno the positive errno value
     */
    public ErrnoException(String operation, String device, int errno) {
        this(operation, device, errno, null);
    }

    private static String format(String operation, String device, int errno, String hint) {
        StringBuilder text = new StringBuilder();
        if (device != null) {
            text.append(device).append(": ");
        }
        text.append(operation).append(": ").append(Errno.name(errno))
            .append(" (").append(Errno.description(errno)).append(')');
        if (hint != null) {
            text.append(": ").append(hint);
        }
        return text.toString();
    }

    /**
     * The failed call.
     *
     * @return e.g. {@code "open"} or {@code "ioctl(TUNSETIFF)"}
     */
    public String operation() {
        return operation;
    }

    /**
     * The device or path concerned.
     *
     * @return the name, or {@code null} when none applies
     */
    public String device() {
        return device;
    }

    /**
     * The errno value.
     *
     * @return a positive errno, e.g. {@link Errno#EPERM}
     */
    public int errno() {
        return errno;
    }

    /**
     * The symbolic errno name.
     *
     * @return e.g. {@code "EPERM"}
     */
    public String errnoName() {
        return Errno.name(errno);
    }

    /**
     * What the user can do about this error.
     *
     * @return the hint, or {@code null}
     */
    public String hint() {
        return hint;
    }
}
