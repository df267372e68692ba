/**
 * The event loop: {@link io.jpair.reactor.Reactor} and its facets
 * ({@link io.jpair.reactor.ReactorFdSet}, {@link io.jpair.reactor.ReactorTime},
 * {@link io.jpair.reactor.ReactorThreads}), the epoll implementation
 * {@link io.jpair.reactor.EpollReactor}, and the selectable contracts it drives
 * ({@link io.jpair.reactor.ReadDescriptor}, {@link io.jpair.reactor.WriteDescriptor}), and
 * {@link io.jpair.reactor.Notifier}, an fd any thread can make readable.
 *
 * <p>Twisted names without the {@code I}: {@code IReactorFDSet} is {@code ReactorFdSet},
 * {@code IReactorTime} is {@code ReactorTime}, {@code IDelayedCall} is {@code DelayedCall},
 * {@code IFileDescriptor} is {@code Selectable}. Depends on {@code io.jpair.sys} and
 * {@code io.jpair.errno} only. For deterministic tests use {@code io.jpair.testing.MemoryReactor}.
 */
package io.jpair.reactor;
