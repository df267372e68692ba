package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.Errno;
import io.jpair.errno.ErrnoException;
import io.jpair.kernel.ChildNetns;
import io.jpair.kernel.KernelTest;
import io.jpair.kernel.ProcFds;
import io.jpair.kernel.Shell;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test-rig operations of {@link RtNetlink} (veth pairs, bridges, namespaces, neighbour
 * entries, routes with gateway, table and metric) against the real kernel, in the test JVM's
 * private namespace and in a {@link ChildNetns} nested in it, with {@code ip -j} as the reference.
 */
@KernelTest
class RtNetlinkRigKernelTest {
    private static final byte[] MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x09};

    private RtNetlink rtnl;
    private ChildNetns child;

    @BeforeEach
    void open() throws Exception {
        rtnl = RtNetlink.open();
        child = ChildNetns.start();
    }

    @AfterEach
    void cleanUp() {
        rtnl.close();
        child.close();
        for (String link : new String[] {"jv0", "jbr0", "jv2"}) {
            Shell.run("ip", "link", "del", link);
        }
    }

    private static String ipJson(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "ip";
        command[1] = "-j";
        System.arraycopy(args, 0, command, 2, args.length);
        return Shell.check(command).replace(" ", "");
    }

    private String ipJsonInChild(String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "ip";
        command[1] = "-j";
        System.arraycopy(args, 0, command, 2, args.length);
        return child.check(command).replace(" ", "");
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void openInActsInTheOtherNamespaceOnly() throws Exception {
        try (RtNetlink inChild = RtNetlink.openIn(child.path())) {
            inChild.createBridge("jbr0");
            assertThat(inChild.link("jbr0").name()).isEqualTo("jbr0");
        }
        assertThat(ipJsonInChild("link", "show", "dev", "jbr0")).contains("\"ifname\":\"jbr0\"");
        assertThat(Shell.run("ip", "link", "show", "dev", "jbr0").ok()).isFalse();
    }

    @Test
    void openInLeaksNoFd() throws Exception {
        long before = ProcFds.count();
        for (int i = 0; i < 5; i++) {
            RtNetlink.openIn(child.path()).close();
        }
        assertThat(ProcFds.count()).isEqualTo(before);
    }

    @Test
    void openInAMissingNamespaceIsOneLineNamingThePath() {
        assertThatThrownBy(() -> RtNetlink.openIn(Path.of("/proc/self/ns/no-such")))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("/proc/self/ns/no-such: open(netns): ENOENT (No such file or directory): no such network"
                + " namespace (see `ip netns list`, or /proc/PID/ns/net of a live process)");
        assertThatThrownBy(() -> RtNetlink.openIn("jpair-no-such-ns"))
            .hasMessageStartingWith("/run/netns/jpair-no-such-ns: open(netns): ENOENT");
    }

    @Test
    void openInAFileThatIsNoNamespaceFailsInSetns() {
        assertThatThrownBy(() -> RtNetlink.openIn(Path.of("/proc/self/ns/uts")))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("/proc/self/ns/uts: setns(CLONE_NEWNET): EINVAL (Invalid argument): not a network"
                + " namespace file");
    }

    @Test
    void createVethMakesTwoPeeredEthernetLinks() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertThat(ipJson("-d", "link", "show", "dev", "jv0")).contains("\"link\":\"jv1\"")
            .contains("\"link_type\":\"ether\"").contains("\"info_kind\":\"veth\"");
        assertThat(ipJson("link", "show", "dev", "jv1")).contains("\"link\":\"jv0\"");
        assertThat(rtnl.link("jv1").up()).isFalse();
    }

    @Test
    void deletingOneEndOfAVethDeletesBoth() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.deleteLink("jv1");
        assertThat(Shell.run("ip", "link", "show", "dev", "jv0").ok()).isFalse();
    }

    @Test
    void createVethWithThePeerInAnotherNamespace() throws Exception {
        rtnl.createVeth("jv0", "jv1", child.path());
        assertThat(ipJson("link", "show", "dev", "jv0")).contains("\"ifname\":\"jv0\"");
        assertThat(Shell.run("ip", "link", "show", "dev", "jv1").ok()).isFalse();
        assertThat(ipJsonInChild("-d", "link", "show", "dev", "jv1")).contains("\"info_kind\":\"veth\"");
    }

    @Test
    void createVethWithATakenNameIsEexistNamingTheLink() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertThatThrownBy(() -> rtnl.createVeth("jv0", "jv2"))
            .isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("jv0: RTM_NEWLINK: EEXIST (File exists): a link of that name already exists"
                + " (veth jv0/jv2)")
            .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EEXIST));
    }

    @Test
    void createBridgeMakesABridgeLink() throws Exception {
        rtnl.createBridge("jbr0");
        assertThat(ipJson("-d", "link", "show", "dev", "jbr0")).contains("\"info_kind\":\"bridge\"");
    }

    @Test
    void setMasterEnslavesToTheBridgeAndReleaseFromMasterFrees() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createVeth("jv0", "jv1");
        rtnl.setMaster("jv0", "jbr0");
        assertThat(ipJson("link", "show", "dev", "jv0")).contains("\"master\":\"jbr0\"");
        assertThat(ipJson("link", "show", "master", "jbr0")).contains("\"ifname\":\"jv0\"");
        rtnl.releaseFromMaster("jv0");
        assertThat(ipJson("link", "show", "dev", "jv0")).doesNotContain("\"master\"");
    }

    @Test
    void setMasterToALinkThatIsNoBridgeIsRefusedNamingTheLink() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertThatThrownBy(() -> rtnl.setMaster("jv0", "jv1"))
            .isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("jv0: RTM_NEWLINK: EOPNOTSUPP (Operation not supported): jv1 cannot take ports:"
                + " it is not a bridge");
    }

    @Test
    void moveToNamespaceTakesTheLinkThere() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.moveToNamespace("jv1", child.path());
        assertThat(Shell.run("ip", "link", "show", "dev", "jv1").ok()).isFalse();
        assertThat(ipJsonInChild("link", "show", "dev", "jv1")).contains("\"ifname\":\"jv1\"");
        try (RtNetlink inChild = RtNetlink.openIn(child.path())) {
            assertThat(inChild.link("jv1").name()).isEqualTo("jv1");
        }
    }

    @Test
    void moveLoopbackIsRefusedWithAHint() {
        assertThatThrownBy(() -> rtnl.moveToNamespace("lo", child.path()))
            .isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("lo: RTM_NEWLINK: EINVAL (Invalid argument): the link cannot change namespace");
    }

    @Test
    void addNeighbourIsListedByIpNeighAndDeleteNeighbourRemovesIt() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv0", ip("10.9.0.2"), MAC, NeighbourState.PERMANENT);
        assertThat(ipJson("neigh", "show", "dev", "jv0")).contains("\"dst\":\"10.9.0.2\"")
            .contains("\"lladdr\":\"02:00:00:00:00:09\"").contains("\"state\":[\"PERMANENT\"]");
        rtnl.deleteNeighbour("jv0", ip("10.9.0.2"));
        assertThat(ipJson("neigh", "show", "dev", "jv0")).isEqualTo("[]\n");
    }

    @Test
    void addIpv6NeighbourInStateReachable() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv0", ip("fd00:9::2"), MAC, NeighbourState.REACHABLE);
        assertThat(ipJson("-6", "neigh", "show", "dev", "jv0")).contains("\"dst\":\"fd00:9::2\"")
            .contains("\"state\":[\"REACHABLE\"]");
    }

    @Test
    void deleteAnAbsentNeighbourIsEnoent() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertThatThrownBy(() -> rtnl.deleteNeighbour("jv0", ip("10.9.0.3")))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("jv0: RTM_DELNEIGH: ENOENT (No such file or directory): no such neighbour 10.9.0.3");
    }

    @Test
    void addRouteWithGatewayTableAndMetricIsShownByIpRouteShowTable() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addAddress("jv0", ip("10.9.0.1"), 24);
        Route route = Route.to(ip("10.20.0.0"), 16).via(ip("10.9.0.254")).dev("jv0").table(100).metric(5);
        rtnl.addRoute(route);
        assertThat(ipJson("route", "show", "table", "100")).contains("\"dst\":\"10.20.0.0/16\"")
            .contains("\"gateway\":\"10.9.0.254\"").contains("\"dev\":\"jv0\"").contains("\"metric\":5");
        assertThat(ipJson("route", "show", "table", "main")).doesNotContain("10.20.0.0");
        rtnl.deleteRoute(route);
        assertThat(ipJson("route", "show", "table", "100")).isEqualTo("[]\n");
    }

    @Test
    void addRouteByGatewayAloneLetsTheKernelPickTheLink() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addAddress("jv0", ip("10.9.0.1"), 24);
        rtnl.addRoute(Route.to(ip("0.0.0.0"), 0).via(ip("10.9.0.254")).table(70000));
        assertThat(ipJson("route", "show", "table", "70000")).contains("\"dst\":\"default\"")
            .contains("\"gateway\":\"10.9.0.254\"").contains("\"dev\":\"jv0\"");
    }

    @Test
    void addRouteWithAnUnreachableGatewayIsOneLineWithAHint() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        assertThatThrownBy(() -> rtnl.addRoute(Route.to(ip("10.20.0.0"), 16).via(ip("10.99.0.1")).dev("jv0")))
            .isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("jv0: RTM_NEWROUTE: ENETUNREACH (Network is unreachable): no link reaches the"
                + " gateway of 10.20.0.0/16 via 10.99.0.1 dev jv0");
    }

    @Test
    void twoRoutesToOneDestinationDifferByMetric() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        Route first = Route.to(ip("10.30.0.0"), 16).dev("jv0").table(100).metric(10);
        rtnl.addRoute(first);
        rtnl.addRoute(first.metric(20));
        assertThat(ipJson("route", "show", "table", "100")).contains("\"metric\":10").contains("\"metric\":20");
        assertThatThrownBy(() -> rtnl.addRoute(first)).hasMessageStartingWith("jv0: RTM_NEWROUTE: EEXIST");
        rtnl.deleteRoute(first.metric(20));
        assertThat(ipJson("route", "show", "table", "100")).contains("\"metric\":10").doesNotContain("\"metric\":20");
    }

    @Test
    void theReadmeRigExampleWorksAsWritten() throws Exception {
        Path netns = child.path();
        try {
            // From README.md, "A whole host": keep the two in step.
            try (RtNetlink here = RtNetlink.open(); RtNetlink there = RtNetlink.openIn(netns)) {
                here.createBridge("br0");
                here.createVeth("veth0", "veth1", netns);            // veth1 is created inside netns
                here.setMaster("veth0", "br0");
                here.setLinkUp("veth0", true);
                there.setLinkUp("veth1", true);
                there.addAddress("veth1", InetAddress.getByName("10.9.0.2"), 24);
                there.addNeighbour("veth1", InetAddress.getByName("10.9.0.1"),
                    new byte[] {2, 0, 0, 0, 0, 1}, NeighbourState.PERMANENT);
                there.addRoute(Route.to(InetAddress.getByName("10.20.0.0"), 16)
                    .via(InetAddress.getByName("10.9.0.1")).table(100).metric(5));
            }
            assertThat(child.check("ip", "route", "show", "table", "100").strip())
                .isEqualTo("10.20.0.0/16 via 10.9.0.1 dev veth1 metric 5");
            assertThat(ipJson("link", "show", "dev", "veth0")).contains("\"master\":\"br0\"");
        } finally {
            Shell.run("ip", "link", "del", "br0");
            Shell.run("ip", "link", "del", "veth0");
        }
    }
}
