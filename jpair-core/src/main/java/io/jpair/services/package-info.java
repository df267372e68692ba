/**
 * Ready-made stream services for a host (RFC 862 echo, RFC 863 discard, an RFC 864-style source,
 * and a small HTTP/1.1 responder), as {@link io.jpair.stream.Protocol}s that run unchanged on
 * jpair's userspace TCP and on the kernel's TCP sockets: what {@code jpair host --tcp-echo},
 * {@code --tcp-discard}, {@code --tcp-source} and {@code --http} serve.
 *
 * <pre>{@code
 * host.listenTcp(7, peer -> new TcpEcho());
 * host.listenTcp(9, peer -> new TcpDiscard());
 * host.listenTcp(19, peer -> new TcpSource(reactor));
 * host.listenTcp(80, peer -> new HttpResponder(reactor, host::counters));
 * }</pre>
 *
 * <p>Bulk output (the source, {@code /bytes/N}) is written by a push producer registered on the
 * transport from one reused buffer: it pauses when the send buffer is full and allocates nothing
 * per write. Reactor thread only. Depends on {@code io.jpair.stream}, {@code io.jpair.transport}
 * and {@code io.jpair.reactor} (for time) only.
 */
package io.jpair.services;
