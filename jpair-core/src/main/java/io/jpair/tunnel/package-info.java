/**
 * IP over UDP on one reactor (the program people build most on a TUN device): packets read from a
 * TUN port go to a peer inside UDP datagrams, and datagrams from the peer go back into the TUN
 * port, optionally sealed with ChaCha20-Poly1305 under a pre-shared key
 * ({@link io.jpair.tunnel.DatagramSeal}, {@link io.jpair.tunnel.TunnelKey}) with replay rejection
 * ({@link io.jpair.tunnel.ReplayWindow}). Drops are counted by {@link io.jpair.tunnel.TunnelDrop}.
 *
 * <p>Sits above {@code io.jpair.tuntap} and the kernel socket transports; nothing in the library
 * below depends on it.
 */
package io.jpair.tunnel;
