package io.jpair.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.errno.Errno;
import io.jpair.netlink.IfAddrMsg;
import io.jpair.netlink.IfInfoMsg;
import io.jpair.netlink.LinkAddress;
import io.jpair.netlink.NlMsgErr;
import io.jpair.netlink.NlMsgHdr;
import io.jpair.netlink.NlMsgWriter;
import io.jpair.netlink.RtmType;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** {@link MemoryNetlink}'s channels at the byte level: what a receive gives, and the messages' headers. */
class MemoryNetlinkTest {
    private final MemoryNetlink kernel = new MemoryNetlink();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private final NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocateDirect(256));
    private final NlMsgHdr header = new NlMsgHdr();

    private int getLink(MemoryNetlink.Channel channel, String name, int sequence) {
        writer.begin(RtmType.RTM_GETLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, sequence);
        writer.reserve(IfInfoMsg.LENGTH);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, name);
        int length = writer.finish();
        return channel.send(writer.buffer(), length);
    }

    @Test
    void receiveOnAnEmptyChannelGivesEagain() throws Exception {
        assertThat(kernel.open(0, true).receive(buffer)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void channelsGetDistinctPortIdsAndFds() throws Exception {
        MemoryNetlink.Channel first = kernel.open(0, false);
        MemoryNetlink.Channel second = kernel.open(0, false);
        assertThat(first.portId()).isEqualTo(MemoryNetlink.FIRST_PORT_ID);
        assertThat(second.portId()).isEqualTo(MemoryNetlink.FIRST_PORT_ID + 1);
        assertThat(first.fileno()).isEqualTo(MemoryNetlink.FIRST_FD);
        assertThat(second.fileno()).isEqualTo(MemoryNetlink.FIRST_FD + 1);
    }

    @Test
    void closedChannelGivesEbadfAndNoFd() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        channel.close();
        channel.close();
        assertThat(channel.fileno()).isEqualTo(-1);
        assertThat(channel.receive(buffer)).isEqualTo(-Errno.EBADF);
        assertThat(getLink(channel, "lo", 1)).isEqualTo(-Errno.EBADF);
        assertThat(kernel.openChannels()).isEmpty();
    }

    @Test
    void getLinkIsAnsweredWithTheLinkThenACappedAcknowledgement() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        getLink(channel, "lo", 7);
        assertThat(channel.pending()).isEqualTo(2);
        channel.receive(buffer);
        header.wrap(buffer, 0);
        assertThat(header.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(header.sequence()).isEqualTo(7);
        assertThat(header.portId()).isEqualTo(channel.portId());
        int length = channel.receive(buffer);
        header.wrap(buffer, 0);
        assertThat(length).isEqualTo(NlMsgHdr.LENGTH + NlMsgErr.LENGTH);
        assertThat(header.type()).isEqualTo(NlMsgHdr.NLMSG_ERROR);
        assertThat(header.flags()).isEqualTo(NlMsgHdr.NLM_F_CAPPED);
        assertThat(NlMsgErr.error(buffer, header.payloadOffset())).isZero();
        assertThat(NlMsgErr.requestSequence(buffer, header.payloadOffset())).isEqualTo(7);
    }

    @Test
    void scriptedErrorCarriesTheExtendedAckMessage() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        kernel.failNext(RtmType.RTM_GETLINK, Errno.EIO, "it broke");
        getLink(channel, "lo", 1);
        channel.receive(buffer);
        header.wrap(buffer, 0);
        assertThat(header.flags()).isEqualTo(NlMsgHdr.NLM_F_CAPPED | NlMsgHdr.NLM_F_ACK_TLVS);
        assertThat(NlMsgErr.error(buffer, header.payloadOffset())).isEqualTo(-Errno.EIO);
        assertThat(NlMsgErr.message(buffer, 0)).isEqualTo("it broke");
        assertThat(channel.pending()).isZero();
    }

    @Test
    void scriptedFaultsOfOneTypeAreUsedInOrderThenTheModelAnswers() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        kernel.failNext(RtmType.RTM_GETLINK, Errno.EIO);
        kernel.failNext(RtmType.RTM_GETLINK, Errno.EBUSY);
        for (int errno : new int[] {-Errno.EIO, -Errno.EBUSY}) {
            getLink(channel, "lo", 1);
            channel.receive(buffer);
            assertThat(NlMsgErr.error(buffer, NlMsgHdr.LENGTH)).isEqualTo(errno);
        }
        getLink(channel, "lo", 1);
        channel.receive(buffer);
        assertThat(NlMsgHdr.type(buffer, 0)).isEqualTo(RtmType.RTM_NEWLINK);
    }

    @Test
    void unknownMessageTypeGivesEopnotsupp() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        writer.begin(RtmType.RTM_GETROUTE + 40, NlMsgHdr.NLM_F_REQUEST, 1);
        channel.send(writer.buffer(), writer.finish());
        channel.receive(buffer);
        assertThat(NlMsgErr.error(buffer, NlMsgHdr.LENGTH)).isEqualTo(-Errno.EOPNOTSUPP);
    }

    @Test
    void requestWithABadHeaderIsDroppedSilently() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        writer.begin(RtmType.RTM_GETLINK, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, 1);
        writer.finish();
        header.wrap(writer.buffer(), 0).length(4000);
        assertThat(channel.send(writer.buffer(), NlMsgHdr.LENGTH)).isEqualTo(NlMsgHdr.LENGTH);
        assertThat(kernel.requests()).isEmpty();
        assertThat(channel.pending()).isZero();
    }

    @Test
    void truncatedReceiveGivesTheFullLengthAndConsumesTheDatagram() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        channel.deliver(new byte[100]);
        assertThat(channel.receive(ByteBuffer.allocateDirect(32))).isEqualTo(100);
        assertThat(channel.pending()).isZero();
    }

    @Test
    void overflowLosesWhatWaitedAndGivesEnobufsOnce() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(RtmType.RTMGRP_LINK, true);
        kernel.setLinkUp("lo", true);
        channel.overflow();
        assertThat(channel.receive(buffer)).isEqualTo(-Errno.ENOBUFS);
        assertThat(channel.receive(buffer)).isEqualTo(-Errno.EAGAIN);
    }

    @Test
    void notificationsReachOnlyChannelsInTheirGroupWithPortAndSequenceZero() throws Exception {
        MemoryNetlink.Channel links = kernel.open(RtmType.RTMGRP_LINK, true);
        MemoryNetlink.Channel addresses = kernel.open(RtmType.RTMGRP_IPV4_IFADDR, true);
        MemoryNetlink.Channel none = kernel.open(0, true);
        kernel.setLinkUp("lo", true);
        assertThat(links.pending()).isEqualTo(1);
        assertThat(addresses.pending()).isZero();
        assertThat(none.pending()).isZero();
        links.receive(buffer);
        header.wrap(buffer, 0);
        assertThat(header.type()).isEqualTo(RtmType.RTM_NEWLINK);
        assertThat(header.sequence()).isZero();
        assertThat(header.portId()).isZero();
        assertThat(new IfInfoMsg().wrap(buffer, NlMsgHdr.LENGTH).flags() & IfInfoMsg.IFF_UP).isNotZero();
    }

    @Test
    void addressNotificationsGoToTheAddressGroupOfTheirFamily() throws Exception {
        MemoryNetlink.Channel ipv4 = kernel.open(RtmType.RTMGRP_IPV4_IFADDR, true);
        MemoryNetlink.Channel ipv6 = kernel.open(RtmType.RTMGRP_IPV6_IFADDR, true);
        MemoryNetlink.Channel client = kernel.open(0, false);
        writer.begin(RtmType.RTM_NEWADDR, NlMsgHdr.NLM_F_REQUEST | NlMsgHdr.NLM_F_ACK, 1);
        new IfAddrMsg().wrap(writer.buffer(), writer.reserve(IfAddrMsg.LENGTH)).family(IfAddrMsg.AF_INET)
            .prefixLength(8).index(1);
        writer.attribute(IfAddrMsg.IFA_LOCAL, InetAddress.getByName("127.0.0.1").getAddress());
        client.send(writer.buffer(), writer.finish());
        assertThat(ipv4.pending()).isEqualTo(1);
        assertThat(ipv6.pending()).isZero();
        assertThat(kernel.link("lo").addresses()).containsExactly(LinkAddress.parse("127.0.0.1/8"));
    }

    @Test
    void mtuBelow1280DropsTheLinksIpv6AddressesAsTheKernelDoes() throws Exception {
        kernel.addLink("jn0", 1500);
        MemoryNetlink.Channel client = kernel.open(0, false);
        int index = kernel.link("jn0").index();
        for (String address : new String[] {"10.7.0.1", "fd00:7::1"}) {
            InetAddress ip = InetAddress.getByName(address);
            writer.begin(RtmType.RTM_NEWADDR, NlMsgHdr.NLM_F_REQUEST, 1);
            new IfAddrMsg().wrap(writer.buffer(), writer.reserve(IfAddrMsg.LENGTH))
                .family(ip.getAddress().length == 4 ? IfAddrMsg.AF_INET : IfAddrMsg.AF_INET6).prefixLength(64 / 2)
                .index(index);
            writer.attribute(IfAddrMsg.IFA_LOCAL, ip.getAddress());
            client.send(writer.buffer(), writer.finish());
        }
        kernel.setMtu("jn0", 1000);
        assertThat(kernel.link("jn0").addresses()).containsExactly(LinkAddress.parse("10.7.0.1/32"));
    }

    @Test
    void recordedRequestReadsBackItsFields() throws Exception {
        MemoryNetlink.Channel channel = kernel.open(0, false);
        getLink(channel, "lo", 9);
        MemoryNetlink.Request request = kernel.lastRequest();
        assertThat(request.type()).isEqualTo(RtmType.RTM_GETLINK);
        assertThat(request.sequence()).isEqualTo(9);
        assertThat(request.dump()).isFalse();
        assertThat(request.attributeTypes()).containsExactly(IfInfoMsg.IFLA_IFNAME);
        assertThat(request.stringAttribute(IfInfoMsg.IFLA_IFNAME)).isEqualTo("lo");
        assertThat(request.attribute(IfInfoMsg.IFLA_MTU)).isNull();
        assertThat(request).hasToString("RTM_GETLINK flags=0x5 seq=9 (40 bytes)");
    }
}
