package io.jpair.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jpair.errno.ErrnoException;
import io.jpair.kernel.ProcFds;
import io.jpair.testing.MemoryNetlink;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The test-rig requests {@link RtNetlink} sends and what they do to {@link MemoryNetlink}'s
 * model: the bytes the kernel contract cannot see, and the model's read-back.
 */
class RtNetlinkRigTest {
    private static final byte[] MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x09};

    private final MemoryNetlink kernel = new MemoryNetlink();
    private final RtNetlink rtnl = RtNetlink.open(kernel);

    RtNetlinkRigTest() throws ErrnoException {
    }

    @AfterEach
    void close() {
        rtnl.close();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void createVethSendsOneExclusiveCreateWithKindVeth() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(request.flags()).isEqualTo(NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK | NlMsgHdr.NLM_F_CREATE
            | NlMsgHdr.NLM_F_EXCL);
        assertThat(request.stringAttribute(IfInfoMsg.IFLA_IFNAME)).isEqualTo("jv0");
        assertThat(request.attributeTypes()).containsExactly(IfInfoMsg.IFLA_IFNAME, IfInfoMsg.IFLA_LINKINFO);
        assertThat(kernel.kind("jv0")).isEqualTo("veth");
        assertThat(kernel.peer("jv0")).isEqualTo("jv1");
        assertThat(kernel.peer("jv1")).isEqualTo("jv0");
    }

    @Test
    void createVethWithThePeerElsewhereLeavesThisEndWithoutAPeerAndClosesTheNamespaceFd() throws Exception {
        long before = ProcFds.count();
        rtnl.createVeth("jv0", "jv1", Path.of("/proc/self/ns/net"));
        assertThat(ProcFds.count()).isEqualTo(before);
        assertThat(kernel.peer("jv0")).isNull();
        assertThat(kernel.hasLink("jv1")).isFalse();
    }

    @Test
    void createBridgeMakesALinkOfKindBridge() throws Exception {
        rtnl.createBridge("jbr0");
        assertThat(kernel.kind("jbr0")).isEqualTo("bridge");
    }

    @Test
    void setMasterSendsIflaMasterWithTheBridgesIndex() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createVeth("jv0", "jv1");
        rtnl.setMaster("jv0", "jbr0");
        assertThat(kernel.lastRequest().intAttribute(IfInfoMsg.IFLA_MASTER)).isEqualTo(rtnl.linkIndex("jbr0"));
        assertThat(kernel.master("jv0")).isEqualTo("jbr0");
    }

    @Test
    void releaseFromMasterSendsIflaMasterZero() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createVeth("jv0", "jv1");
        rtnl.setMaster("jv0", "jbr0");
        rtnl.releaseFromMaster("jv0");
        assertThat(kernel.lastRequest().intAttribute(IfInfoMsg.IFLA_MASTER)).isZero();
        assertThat(kernel.master("jv0")).isNull();
    }

    @Test
    void deletingABridgeReleasesItsPorts() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createVeth("jv0", "jv1");
        rtnl.setMaster("jv0", "jbr0");
        rtnl.deleteLink("jbr0");
        assertThat(kernel.master("jv0")).isNull();
    }

    @Test
    void moveToNamespaceSendsAnIflaNetNsFdAndClosesIt() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        long before = ProcFds.count();
        rtnl.moveToNamespace("jv1", Path.of("/proc/self/ns/net"));
        assertThat(kernel.lastRequest().attribute(IfInfoMsg.IFLA_NET_NS_FD)).hasSize(4);
        assertThat(ProcFds.count()).isEqualTo(before);
        assertThat(kernel.hasLink("jv1")).isFalse();
        assertThat(kernel.peer("jv0")).isNull();
    }

    @Test
    void moveToAMissingNamespaceSendsNothing() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        kernel.clearRequests();
        assertThatThrownBy(() -> rtnl.moveToNamespace("jv1", Path.of("/run/netns/jpair-none")))
            .isInstanceOf(ErrnoException.class)
            .hasMessageStartingWith("/run/netns/jpair-none: open(netns): ENOENT (No such file or directory): no such"
                + " network namespace");
        assertThat(kernel.requests(RtmType.RTM_NEWLINK)).isEmpty();
    }

    @Test
    void addNeighbourSendsAnExclusiveNewNeighWithStateAndLinkAddress() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv0", ip("10.9.0.2"), MAC, NeighbourState.PERMANENT);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.flags() & (NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL))
            .isEqualTo(NlMsgHdr.NLM_F_CREATE | NlMsgHdr.NLM_F_EXCL);
        assertThat(request.ndMsg().index()).isEqualTo(rtnl.linkIndex("jv0"));
        assertThat(request.ndMsg().state()).isEqualTo(0x80);
        assertThat(request.ndMsg().family()).isEqualTo(IfAddrMsg.AF_INET);
        assertThat(request.addressAttribute(NdMsg.NDA_DST)).isEqualTo(ip("10.9.0.2"));
        assertThat(request.attribute(NdMsg.NDA_LLADDR)).isEqualTo(MAC);
        assertThat(kernel.neighbours()).containsExactly("10.9.0.2 dev jv0 lladdr 02:00:00:00:00:09 PERMANENT");
    }

    @Test
    void deletingALinkDeletesItsNeighbourEntries() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.addNeighbour("jv1", ip("fd00:9::2"), MAC, NeighbourState.STALE);
        assertThat(kernel.neighbours()).containsExactly("fd00:9:0:0:0:0:0:2 dev jv1 lladdr 02:00:00:00:00:09 STALE");
        rtnl.deleteLink("jv0");
        assertThat(kernel.neighbours()).isEmpty();
    }

    @Test
    void addNeighbourWithNoLinkAddressIsRefusedBeforeSending() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        kernel.clearRequests();
        assertThatThrownBy(() -> rtnl.addNeighbour("jv0", ip("10.9.0.2"), new byte[0], NeighbourState.PERMANENT))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("neighbour 10.9.0.2: a 0-byte link-layer address (MAX_ADDR_LEN is 32)");
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void addRouteSendsGatewayTableAndMetric() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addAddress("jv0", ip("10.9.0.1"), 24);
        rtnl.addRoute(Route.to(ip("10.20.0.0"), 16).via(ip("10.9.0.254")).dev("jv0").table(100).metric(5));
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.rtMsg().table()).isEqualTo(100);
        assertThat(request.intAttribute(RtMsg.RTA_TABLE)).isEqualTo(100);
        assertThat(request.addressAttribute(RtMsg.RTA_GATEWAY)).isEqualTo(ip("10.9.0.254"));
        assertThat(request.intAttribute(RtMsg.RTA_PRIORITY)).isEqualTo(5);
        assertThat(request.rtMsg().scope()).isEqualTo(IfAddrMsg.RT_SCOPE_UNIVERSE);
        assertThat(kernel.routes()).containsExactly("10.20.0.0/16 via 10.9.0.254 dev jv0 table 100 metric 5");
    }

    @Test
    void aTableAbove255GoesOnlyInRtaTable() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addRoute(Route.to(ip("10.20.0.0"), 16).dev("jv0").table(70000));
        assertThat(kernel.lastRequest().rtMsg().table()).isEqualTo(RtMsg.RT_TABLE_UNSPEC);
        assertThat(kernel.lastRequest().intAttribute(RtMsg.RTA_TABLE)).isEqualTo(70000);
        assertThat(kernel.lastRequest().rtMsg().scope()).isEqualTo(IfAddrMsg.RT_SCOPE_LINK);
        assertThat(kernel.routes()).containsExactly("10.20.0.0/16 dev jv0 table 70000");
    }

    @Test
    void aRouteByGatewayAloneTakesTheLinkThatReachesIt() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        rtnl.setLinkUp("jv0", true);
        rtnl.addAddress("jv0", ip("10.9.0.1"), 24);
        rtnl.addRoute(Route.to(ip("0.0.0.0"), 0).via(ip("10.9.0.254")));
        assertThat(kernel.lastRequest().attribute(RtMsg.RTA_OIF)).isNull();
        assertThat(kernel.routes()).containsExactly("default via 10.9.0.254 dev jv0");
    }

    @Test
    void aRouteWithNeitherGatewayNorLinkIsRefusedBeforeSending() throws Exception {
        assertThatThrownBy(() -> rtnl.addRoute(Route.to(ip("10.20.0.0"), 16)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("route 10.20.0.0/16 has neither a gateway nor a link: give it via() or dev()");
        assertThat(kernel.requests()).isEmpty();
    }

    @Test
    void withoutPrivilegeCreatingALinkIsEpermWithTheHint() {
        kernel.privileged(false);
        assertThatThrownBy(() -> rtnl.createBridge("jbr0"))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("jbr0: RTM_NEWLINK: EPERM (Operation not permitted): needs CAP_NET_ADMIN in the link's"
                + " network namespace (run as root or grant the capability)");
    }

    @Test
    void anUnknownRouteDeleteIsEsrchNamingTheRoute() throws Exception {
        rtnl.createVeth("jv0", "jv1");
        assertThatThrownBy(() -> rtnl.deleteRoute(Route.to(ip("10.20.0.0"), 16).dev("jv0").table(9)))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("jv0: RTM_DELROUTE: ESRCH (No such process): no such route 10.20.0.0/16 dev jv0 table 9");
    }

    @Test
    void aBridgeIntoABridgeIsEloopWithTheHintAndTheKernelsText() throws Exception {
        rtnl.createBridge("jbr0");
        rtnl.createBridge("jbr1");
        assertThatThrownBy(() -> rtnl.setMaster("jbr1", "jbr0"))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("jbr1: RTM_NEWLINK: ELOOP (Too many levels of symbolic links): a bridge cannot be a port of"
                + " a bridge (kernel: Can not enslave a bridge to a bridge)");
    }

    @Test
    void anUnknownLinkKindIsEopnotsuppNamingTheMissingDriver() {
        kernel.failNext(RtmType.RTM_NEWLINK, 95, "Unknown device type");
        assertThatThrownBy(() -> rtnl.createVeth("jv0", "jv1"))
            .isInstanceOf(ErrnoException.class)
            .hasMessage("jv0: RTM_NEWLINK: EOPNOTSUPP (Operation not supported): the kernel has no veth driver"
                + " (modprobe veth) (kernel: Unknown device type)");
    }

    @Test
    void namedNamespaceIsUnderRunNetnsAndRefusesPaths() {
        assertThat(RtNetlink.namedNamespace("rig")).isEqualTo(Path.of("/run/netns/rig"));
        assertThatThrownBy(() -> RtNetlink.namedNamespace("../etc"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("invalid network namespace name \"../etc\"");
    }
}
