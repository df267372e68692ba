package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.testing.MemoryNetlink;
import io.jpair.testing.MemoryReactor;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AsyncRtNetlink} on {@link MemoryNetlink} and a {@link MemoryReactor}. */
class AsyncRtNetlinkTest {
    private final MemoryNetlink kernel = new MemoryNetlink();
    private final MemoryReactor reactor = new MemoryReactor();
    private final AsyncRtNetlink rtnl = AsyncRtNetlink.open(reactor, kernel);

    AsyncRtNetlinkTest() throws ErrnoException {
    }

    @AfterEach
    void close() {
        rtnl.close();
    }

    /** Lets the reactor read replies until the future is done, at most 10 rounds. */
    private <T> CompletableFuture<T> settle(CompletableFuture<T> future) {
        for (int round = 0; round < 10 && !future.isDone(); round++) {
            reactor.fireReadable();
        }
        return future;
    }

    private static ErrnoException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        Throwable cause = future.handle((value, error) -> error).join();
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(ErrnoException.class);
        return (ErrnoException) cause;
    }

    @Test
    void openRegistersTheChannelWithTheReactorNonBlocking() {
        assertThat(kernel.openChannels()).singleElement().satisfies(channel -> {
            assertThat(channel.nonBlocking()).isTrue();
            assertThat(channel.fileno()).isEqualTo(rtnl.fileno());
        });
        assertThat(reactor.fireReadable()).isEqualTo(1);
    }

    @Test
    void aRequestCompletesOnlyWhenTheReactorReadsItsReply() {
        CompletableFuture<Void> created = rtnl.createBridge("jbr0");
        assertThat(created).isNotDone();
        assertThat(kernel.hasLink("jbr0")).isTrue();
        reactor.fireReadable();
        assertThat(created).isCompletedWithValue(null);
        assertThat(rtnl.pendingRequests()).isZero();
    }

    @Test
    void aNamedLinkIsLookedUpThenChanged() {
        kernel.addLink("jn0", 1500);
        CompletableFuture<Void> up = rtnl.setLinkUp("jn0", true);
        assertThat(kernel.requests()).extracting(MemoryNetlink.Request::type).containsExactly(RtmType.RTM_GETLINK);
        reactor.fireReadable();   // the lookup's reply sends the change, whose reply the same read drains
        assertThat(kernel.requests()).extracting(MemoryNetlink.Request::type)
            .containsExactly(RtmType.RTM_GETLINK, RtmType.RTM_NEWLINK);
        assertThat(up).isCompleted();
        assertThat(kernel.link("jn0").up()).isTrue();
    }

    @Test
    void chainedRequestsBuildARig() throws Exception {
        InetAddress address = InetAddress.getByName("10.9.0.1");
        InetAddress network = InetAddress.getByName("10.20.0.0");
        InetAddress gateway = InetAddress.getByName("10.9.0.254");
        CompletableFuture<Void> rig = rtnl.createBridge("jbr0")
            .thenCompose(done -> rtnl.createVeth("jv0", "jv1"))
            .thenCompose(done -> rtnl.setMaster("jv0", "jbr0"))
            .thenCompose(done -> rtnl.setLinkUp("jv0", true))
            .thenCompose(done -> rtnl.addAddress("jv0", address, 24))
            .thenCompose(done -> rtnl.addRoute(Route.to(network, 16).via(gateway).table(100)))
            .thenCompose(done -> rtnl.addNeighbour("jv0", gateway,
                new byte[] {2, 0, 0, 0, 0, 1}, NeighbourState.PERMANENT));
        settle(rig);
        assertThat(rig).isCompleted();
        assertThat(kernel.master("jv0")).isEqualTo("jbr0");
        assertThat(kernel.routes()).containsExactly("10.20.0.0/16 via 10.9.0.254 dev jv0 table 100");
        assertThat(kernel.neighbours()).containsExactly("10.9.0.254 dev jv0 lladdr 02:00:00:00:00:01 PERMANENT");
    }

    @Test
    void linkReportsTheLinkWithItsAddresses() throws Exception {
        kernel.addLink("jn0", 1400);
        CompletableFuture<Void> added = rtnl.addAddress("jn0", InetAddress.getByName("10.7.0.1"), 24);
        settle(added);
        CompletableFuture<LinkInfo> link = settle(rtnl.link("jn0"));
        assertThat(link.join().mtu()).isEqualTo(1400);
        assertThat(link.join().addresses()).extracting(LinkAddress::toString).containsExactly("10.7.0.1/24");
    }

    @Test
    void aKernelRefusalFailsTheFutureWithTheBlockingClientsError() {
        CompletableFuture<Void> first = settle(rtnl.createBridge("jbr0"));
        assertThat(first).isCompleted();
        ErrnoException error = failure(settle(rtnl.createBridge("jbr0")));
        assertThat(error.errno()).isEqualTo(Errno.EEXIST);
        assertThat(error).hasMessage("jbr0: RTM_NEWLINK: EEXIST (File exists): a link of that name already exists"
            + " (bridge jbr0)");
    }

    @Test
    void aMissingLinkFailsAtTheLookup() {
        ErrnoException error = failure(settle(rtnl.setLinkUp("jn9", true)));
        assertThat(error.operation()).isEqualTo("RTM_GETLINK");
        assertThat(error.errno()).isEqualTo(Errno.ENODEV);
        assertThat(kernel.requests(RtmType.RTM_NEWLINK)).isEmpty();
    }

    @Test
    void anInvalidArgumentFailsTheFutureWithoutSending() {
        CompletableFuture<Void> bad = rtnl.createBridge("a/b");
        assertThat(bad).isCompletedExceptionally();
        assertThat(bad.handle((value, error) -> error).join()).isInstanceOf(IllegalArgumentException.class);
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void aRequestWithNoReplyTimesOutOnTheReactorClock() {
        kernel.ignoreNext(RtmType.RTM_NEWLINK);
        CompletableFuture<Void> created = rtnl.createBridge("jbr0");
        reactor.fireReadable();
        reactor.advance(Duration.ofMillis(RtNetlink.REPLY_TIMEOUT_MILLIS - 1));
        assertThat(created).isNotDone();
        reactor.advance(Duration.ofMillis(1));
        assertThat(failure(created).errno()).isEqualTo(110);
        assertThat(rtnl.pendingRequests()).isZero();
    }

    @Test
    void closeFailsPendingRequestsWithEcanceledAndLaterOnesWithEbadf() {
        CompletableFuture<Void> pending = rtnl.createBridge("jbr0");
        rtnl.close();
        assertThat(failure(pending).errno()).isEqualTo(125);
        assertThat(kernel.openChannels()).isEmpty();
        assertThat(reactor.fireReadable()).isZero();
        assertThat(failure(rtnl.createBridge("jbr1")).errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void aFailedSendFailsOnlyThatRequest() {
        kernel.openChannels().getFirst().failNextSend(Errno.ENOBUFS);
        ErrnoException error = failure(rtnl.createBridge("jbr0"));
        assertThat(error.errno()).isEqualTo(Errno.ENOBUFS);
        assertThat(settle(rtnl.createBridge("jbr1"))).isCompleted();
    }

    @Test
    void aFailingSocketFailsThePendingRequestsAndIsDropped() {
        CompletableFuture<Void> pending = rtnl.createBridge("jbr0");
        kernel.openChannels().getFirst().failNextReceive(Errno.EBADF);
        reactor.fireReadable();
        assertThat(failure(pending).errno()).isEqualTo(125);
        assertThat(reactor.fireReadable()).isZero();
    }
}
