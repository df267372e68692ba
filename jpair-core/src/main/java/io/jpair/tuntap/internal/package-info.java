/**
 * The TUN driver's ABI as {@code io.jpair.tuntap} and {@code io.jpair.testing} both need it: the
 * {@code TUN*} ioctl codes ({@link io.jpair.tuntap.internal.TunIoctl}) and
 * {@code struct ifreq} ({@link io.jpair.tuntap.internal.InterfaceRequest}), the arguments of
 * {@link io.jpair.tuntap.IOSystem#ioctl}.
 *
 * <p>Internal: module {@code io.jpair.core} does not export this package; its classes are public
 * only so the in-memory {@code MemoryIOSystem} can recognise the requests a port makes without
 * touching {@code io.jpair.sys} (which {@code io.jpair.testing} may not use). Depends on
 * {@code io.jpair.sys} only.
 */
package io.jpair.tuntap.internal;
