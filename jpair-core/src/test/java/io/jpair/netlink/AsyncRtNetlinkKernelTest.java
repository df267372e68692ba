package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import io.jpair.reactor.EpollReactor;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AsyncRtNetlink} on an {@link EpollReactor} against the real kernel, in a
 * {@link ChildNetns} nested in the test JVM's private namespace, with {@code ip -j} as the
 * reference.
 */
@KernelTest
class AsyncRtNetlinkKernelTest {
    private EpollReactor reactor;
    private ChildNetns child;

    @BeforeEach
    void open() throws Exception {
        reactor = new EpollReactor();
        child = ChildNetns.start();
    }

    @AfterEach
    void close() {
        child.close();
        reactor.close();
        Shell.run("ip", "link", "del", "jbr0");
    }

    /** Runs the reactor until the future is done, at most 5 s. */
    private <T> CompletableFuture<T> settle(CompletableFuture<T> future) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!future.isDone() && System.nanoTime() < deadline) {
            reactor.runOnce(TimeUnit.MILLISECONDS.toNanos(50));
        }
        assertThat(future).as("completed within 5 s").isDone();
        return future;
    }

    @Test
    void aRigIsBuiltInsideTheChildNamespace() throws Exception {
        InetAddress gateway = InetAddress.getByName("10.9.0.254");
        InetAddress address = InetAddress.getByName("10.9.0.1");
        InetAddress network = InetAddress.getByName("10.20.0.0");
        try (AsyncRtNetlink rtnl = AsyncRtNetlink.open(reactor, RtNetlink.openerIn(child.path()))) {
            CompletableFuture<Void> rig = rtnl.createBridge("jbr0")
                .thenCompose(done -> rtnl.createVeth("jv0", "jv1"))
                .thenCompose(done -> rtnl.setMaster("jv1", "jbr0"))
                .thenCompose(done -> rtnl.setLinkUp("jv0", true))
                .thenCompose(done -> rtnl.addAddress("jv0", address, 24))
                .thenCompose(done -> rtnl.addNeighbour("jv0", gateway, new byte[] {2, 0, 0, 0, 0, 1},
                    NeighbourState.PERMANENT))
                .thenCompose(done -> rtnl.addRoute(Route.to(network, 16).via(gateway)
                    .table(100).metric(7)));
            settle(rig).join();
        }
        assertThat(child.check("ip", "-j", "link", "show", "dev", "jv1").replace(" ", ""))
            .contains("\"master\":\"jbr0\"");
        assertThat(child.check("ip", "-j", "neigh", "show", "dev", "jv0").replace(" ", ""))
            .contains("\"dst\":\"10.9.0.254\"").contains("\"lladdr\":\"02:00:00:00:00:01\"");
        assertThat(child.check("ip", "-j", "route", "show", "table", "100").replace(" ", ""))
            .contains("\"dst\":\"10.20.0.0/16\"").contains("\"gateway\":\"10.9.0.254\"").contains("\"metric\":7");
        assertThat(Shell.run("ip", "link", "show", "dev", "jbr0").ok()).isFalse();
    }

    @Test
    void aKernelRefusalFailsTheFutureWithTheOneLineError() throws Exception {
        try (AsyncRtNetlink rtnl = AsyncRtNetlink.open(reactor)) {
            settle(rtnl.createBridge("jbr0")).join();
            CompletableFuture<Void> again = settle(rtnl.createBridge("jbr0"));
            Throwable error = again.handle((value, failure) -> failure).join();
            Throwable cause = error instanceof CompletionException ? error.getCause() : error;
            assertThat(cause).isInstanceOf(ErrnoException.class)
                .hasMessage("jbr0: RTM_NEWLINK: EEXIST (File exists): a link of that name already exists (bridge"
                    + " jbr0)");
            assertThat(((ErrnoException) cause).errno()).isEqualTo(Errno.EEXIST);
        }
    }

    @Test
    void aRequestFromAnotherThreadIsHandedToTheRunningReactorThread() throws Exception {
        AsyncRtNetlink rtnl = AsyncRtNetlink.open(reactor);
        Thread loop = Thread.ofPlatform().name("reactor").start(reactor::run);
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            reactor.callFromThread(() -> {   // holds the reactor thread until the test has attached its stage
                busy.countDown();
                awaitQuietly(release);
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicReference<String> completedOn = new AtomicReference<>();
            CompletableFuture<Void> created = rtnl.createBridge("jbr0")
                .whenComplete((v, e) -> completedOn.set(Thread.currentThread().getName()));
            release.countDown();
            created.get(5, TimeUnit.SECONDS);
            assertThat(completedOn.get()).isEqualTo("reactor");
            assertThat(Shell.run("ip", "link", "show", "dev", "jbr0").ok()).isTrue();
        } finally {
            reactor.callFromThread(rtnl::close);
            reactor.stop();
            loop.join(5_000);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void openAndCloseLeakNoFd() throws Exception {
        long before = ProcFds.count();
        for (int i = 0; i < 5; i++) {
            AsyncRtNetlink.open(reactor, RtNetlink.openerIn(child.path())).close();
        }
        assertThat(ProcFds.count()).isEqualTo(before);
    }
}
