package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import java.net.InetAddress;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the kernel does with {@link RtNetlink}'s test-rig requests (veth pairs, bridges, moving
 * links, neighbour entries, routes with gateway, table and metric), observed through
 * {@link RtNetlink} alone: run on {@code MemoryNetlink} and on the real kernel, which proves the
 * fake against the kernel.
 */
abstract class RtNetlinkRigContract {
    static final byte[] MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x09};

    RtNetlink rtnl;

    /** A client of the kernel under test, in a namespace with only {@code lo}. */
    abstract RtNetlink open() throws Exception;

    /** A network-namespace file other than the client's (the fake takes any). */
    abstract Path otherNamespace();

    /** Removes what a test left behind. */
    abstract void cleanUp();

    @BeforeEach
    void openClient() throws Exception {
        rtnl = open();
    }

    @AfterEach
    void closeClient() {
        rtnl.close();
        cleanUp();
    }

    static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    static void assertErrno(ThrowingCallable call, String operation, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ErrnoException.class, e -> {
            assertThat(e.operation()).isEqualTo(operation);
            assertThat(e.errno()).isEqualTo(errno);
        });
    }

    private void vethUpWithAddress() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addAddress("jv0", ip("10.9.0.1"), 24);
    }

    @Test
    void createVethMakesBothEndsDownWithMtu1500() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        for (String end : new String[] {"jv0", "jv1"}) {
            LinkInfo link = rtnl.link(end);
            assertThat(link.up()).isFalse();
            assertThat(link.mtu()).isEqualTo(1500);
            assertThat(link.flags() & IfInfoMsg.IFF_BROADCAST).isNotZero();
        }
    }

    @Test
    void deletingOneVethEndDeletesTheOther() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.deleteLink("jv0");
        assertErrno(() -> rtnl.link("jv1"), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void createVethWithATakenNameIsEexist() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertErrno(() -> rtnl.createVeth("jv0", "jv2"), "RTM_NEWLINK", Errno.EEXIST);
        assertErrno(() -> rtnl.createVeth("jv2", "jv1"), "RTM_NEWLINK", Errno.EEXIST);
        assertErrno(() -> rtnl.link("jv2"), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void createVethWithThePeerElsewhereMakesOnlyThisEnd() throws Exception {
        rtnl.createVeth("jv0", "jv1", otherNamespace());
        assertThat(rtnl.link("jv0").name()).isEqualTo("jv0");
        assertErrno(() -> rtnl.link("jv1"), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void createBridgeMakesALinkThatIsDown() throws Exception {
        rtnl.createBridge("jbr0");
        assertThat(rtnl.link("jbr0").up()).isFalse();
        assertErrno(() -> rtnl.createBridge("jbr0"), "RTM_NEWLINK", Errno.EEXIST);
    }

    @Test
    void setMasterToABridgeAndReleaseSucceed() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createVeth("jv0", "jv1");
        rtnl.setMaster("jv0", "jbr0");
        rtnl.releaseFromMaster("jv0");
        rtnl.releaseFromMaster("jv0");
    }

    @Test
    void setMasterToALinkThatIsNoBridgeIsEopnotsupp() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertErrno(() -> rtnl.setMaster("jv0", "jv1"), "RTM_NEWLINK", Errno.EOPNOTSUPP);
    }

    @Test
    void setMasterOfABridgeToABridgeIsEloop() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createBridge("jbr1");
        assertErrno(() -> rtnl.setMaster("jbr1", "jbr0"), "RTM_NEWLINK", 40);
    }

    @Test
    void setMasterToAMissingBridgeIsEnodev() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertErrno(() -> rtnl.setMaster("jv0", "jbr9"), "RTM_GETLINK", Errno.ENODEV);
    }

    @Test
    void moveToNamespaceTakesTheLinkAway() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.moveToNamespace("jv1", otherNamespace());
        assertErrno(() -> rtnl.link("jv1"), "RTM_GETLINK", Errno.ENODEV);
        assertThat(rtnl.link("jv0").name()).isEqualTo("jv0");
    }

    @Test
    void moveLoopbackIsEinval() {
        assertErrno(() -> rtnl.moveToNamespace("lo", otherNamespace()), "RTM_NEWLINK", Errno.EINVAL);
    }

    @Test
    void addNeighbourTwiceIsEexist() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv0", ip("10.9.0.2"), MAC, NeighbourState.PERMANENT);
        assertErrno(() -> rtnl.addNeighbour("jv0", ip("10.9.0.2"), MAC, NeighbourState.PERMANENT), "RTM_NEWNEIGH",
            Errno.EEXIST);
    }

    @Test
    void deleteNeighbourOnceSucceedsAndTwiceIsEnoent() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv0", ip("fd00:9::2"), MAC, NeighbourState.REACHABLE);
        rtnl.deleteNeighbour("jv0", ip("fd00:9::2"));
        assertErrno(() -> rtnl.deleteNeighbour("jv0", ip("fd00:9::2")), "RTM_DELNEIGH", Errno.ENOENT);
    }

    @Test
    void addNeighbourWithALinkAddressShorterThanEthernetsIsEinval() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertErrno(() -> rtnl.addNeighbour("jv0", ip("10.9.0.2"), new byte[] {1, 2}, NeighbourState.PERMANENT),
            "RTM_NEWNEIGH", Errno.EINVAL);
    }

    @Test
    void routesToOneDestinationAreOnePerTableAndMetric() throws Exception {
        vethUpWithAddress();
        Route route = Route.to(ip("10.20.0.0"), 16).via(ip("10.9.0.254")).dev("jv0").table(100).metric(5);
        rtnl.addRoute(route);
        rtnl.addRoute(route.metric(6));
        rtnl.addRoute(route.table(101));
        assertErrno(() -> rtnl.addRoute(route), "RTM_NEWROUTE", Errno.EEXIST);
    }

    @Test
    void deleteRouteRemovesOnlyTheMatchingMetric() throws Exception {
        vethUpWithAddress();
        Route route = Route.to(ip("10.20.0.0"), 16).dev("jv0").table(100).metric(5);
        rtnl.addRoute(route);
        rtnl.addRoute(route.metric(6));
        rtnl.deleteRoute(route.metric(6));
        assertErrno(() -> rtnl.deleteRoute(route.metric(6)), "RTM_DELROUTE", 3);
        rtnl.deleteRoute(route);
    }

    @Test
    void routeByGatewayAloneIsAddedAndDeleted() throws Exception {
        vethUpWithAddress();
        Route route = Route.to(ip("0.0.0.0"), 0).via(ip("10.9.0.254")).table(70000);
        rtnl.addRoute(route);
        rtnl.deleteRoute(route);
        assertErrno(() -> rtnl.deleteRoute(route), "RTM_DELROUTE", 3);
    }

    @Test
    void routeThroughAGatewayNoLinkReachesIsEnetunreach() throws Exception {
        vethUpWithAddress();
        assertErrno(() -> rtnl.addRoute(Route.to(ip("10.20.0.0"), 16).via(ip("10.99.0.1")).dev("jv0")),
            "RTM_NEWROUTE", 101);
        assertErrno(() -> rtnl.addRoute(Route.to(ip("10.20.0.0"), 16).via(ip("10.99.0.1"))), "RTM_NEWROUTE", 101);
    }

    @Test
    void ipv6RouteWithGatewayIsAddedInItsTable() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        Route route = Route.to(ip("fd00:20::"), 64).via(ip("fe80::1")).dev("jv0").table(100);
        rtnl.addRoute(route);
        assertErrno(() -> rtnl.addRoute(route), "RTM_NEWROUTE", Errno.EEXIST);
        rtnl.deleteRoute(route);
    }
}
