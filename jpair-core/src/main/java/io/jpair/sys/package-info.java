/**
 * Native access: the only package that calls the OS, through the FFM API
 * ({@code java.lang.foreign}). One class per kernel API family ({@link io.jpair.sys.LibC},
 * {@link io.jpair.sys.Epoll}, {@link io.jpair.sys.EventFd}, {@link io.jpair.sys.Pipe},
 * {@link io.jpair.sys.Socket}, with {@link io.jpair.sys.InetSocket} for IPv4 and UDP GSO), one
 * per C structure ({@link io.jpair.sys.IoVec}, {@link io.jpair.sys.SockaddrNl}),
 * ABI differences in {@link io.jpair.sys.Arch}.
 *
 * <p>Internal: not part of jpair's public API. Depends only on {@code io.jpair.errno} and SLF4J.
 * Calls return the result or {@code -errno} and never throw on a failed call.
 */
package io.jpair.sys;
