package io.jpair.transport;

import java.io.IOException;

/**
 * A port could not start listening (Twisted's {@code CannotListenError}). The message names the
 * interface and the cause, e.g. {@code Couldn't listen on tun0: tun0: ioctl(TUNSETIFF): EPERM
 * (Operation not permitted): needs CAP_NET_ADMIN or a device owned by this user}; the cause is
 * usually an {@link io.jpair.errno.ErrnoException} carrying the errno.
 */
public class CannotListenException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The device or address that could not be opened. */
    private final String interfaceName;

    /**
     * Creates the exception.
     *
     * @param interfaceName the device or address that could not be opened
     * @param cause why
     */
    public CannotListenException(String interfaceName, Throwable cause) {
        super("Couldn't listen on " + interfaceName + ": " + cause.getMessage(), cause);
        this.interfaceName = interfaceName;
    }

    /**
     * The device or address that could not be opened.
     *
     * @return its name
     */
    public String interfaceName() {
        return interfaceName;
    }
}
