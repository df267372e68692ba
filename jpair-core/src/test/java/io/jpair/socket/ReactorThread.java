package io.jpair.socket;

import io.jpair.reactor.EpollReactor;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** An {@link EpollReactor} running on its own thread, for kernel tests that drive it from the test thread. */
final class ReactorThread implements AutoCloseable {
    final CopyOnWriteArrayList<Throwable> errors = new CopyOnWriteArrayList<>();
    final EpollReactor reactor;
    final Thread thread;

    ReactorThread() throws Exception {
        reactor = new EpollReactor((source, error) -> errors.add(error));
        thread = new Thread(reactor::run, "reactor");
        thread.setDaemon(true);
        thread.start();
        call(() -> null);
    }

    /** Runs {@code task} on the reactor thread and waits (5 s at most) for its result. */
    <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        reactor.callFromThread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        reactor.stop();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        reactor.close();
    }
}
