/**
 * jpair's userspace TCP (RFC 9293) on the host stack: {@link io.jpair.tcp.TcpProtocol} (protocol
 * 6 on {@code io.jpair.ip.IPProtocol}), its {@link io.jpair.tcp.TcpConnection}s (each a
 * {@code io.jpair.stream.StreamTransport}) and {@link io.jpair.tcp.TcpListener}s, the
 * {@link io.jpair.tcp.TcpHeader} flyweight and {@link io.jpair.tcp.TcpOptions}. Depends on
 * {@code io.jpair.ip}, {@code io.jpair.stream}, {@code io.jpair.reactor} and {@code io.jpair.wire}.
 * Reactor thread only.
 */
package io.jpair.tcp;
