/**
 * Byte streams, in Twisted's shape: a {@link io.jpair.stream.Protocol} (Twisted's
 * {@code twisted.internet.protocol.Protocol}) built per connection by a
 * {@link io.jpair.stream.ProtocolFactory}, talking through a {@link io.jpair.stream.StreamTransport}
 * (Twisted's {@code ITCPTransport}).
 *
 * <p>One protocol runs unchanged over every stream transport jpair has: the userspace TCP of
 * {@code io.jpair.tcp} (a connection to a jpair host on a TUN/TAP) and the kernel's TCP sockets on
 * the reactor ({@code io.jpair.socket}). {@code io.jpair.testing.MemoryStreamTransport} (Twisted's
 * {@code StringTransport}) tests a protocol without either.
 *
 * <p>Everything is called on the reactor thread. Buffers passed to
 * {@link io.jpair.stream.Protocol#dataReceived} are borrowed for the call; buffers passed to
 * {@link io.jpair.stream.StreamTransport#write} are copied (or fully consumed) before it returns.
 * Depends on {@code io.jpair.transport}.
 */
package io.jpair.stream;
