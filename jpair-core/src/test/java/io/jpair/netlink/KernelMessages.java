package io.jpair.netlink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds messages as the kernel sends them, for decoder and monitor tests. */
final class KernelMessages {
    private KernelMessages() {
    }

    /** An {@code RTM_NEWLINK} or {@code RTM_DELLINK} like the kernel's, with name and MTU. */
    static byte[] link(int type, int sequence, int portId, int index, String name, int flags, int mtu) {
        NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocate(512));
        writer.begin(type, 0, sequence);
        new IfInfoMsg().wrap(writer.buffer(), writer.reserve(IfInfoMsg.LENGTH)).index(index).flags(flags);
        writer.attribute(IfInfoMsg.IFLA_IFNAME, name);
        writer.attribute(IfInfoMsg.IFLA_TXQLEN, 500);
        writer.attribute(IfInfoMsg.IFLA_MTU, mtu);
        writer.attribute(IfInfoMsg.IFLA_MIN_MTU, 68);
        writer.attribute(IfInfoMsg.IFLA_MAX_MTU, 65535);
        return finish(writer, portId);
    }

    /** A multicast {@code RTM_NEWLINK} (sequence 0, port 0). */
    static byte[] newLink(int index, String name, int flags, int mtu) {
        return link(RtmType.RTM_NEWLINK, 0, 0, index, name, flags, mtu);
    }

    /** {@code NLMSG_DONE} ending a dump. */
    static byte[] done(int sequence, int portId) {
        NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocate(64));
        writer.begin(NlMsgHdr.NLMSG_DONE, NlMsgHdr.NLM_F_MULTI, sequence);
        writer.reserve(4);
        return finish(writer, portId);
    }

    /** {@code NLMSG_ERROR} answering request {@code sequence}: 0 is an acknowledgement, else a positive errno. */
    static byte[] error(int sequence, int portId, int errno) {
        NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocate(64));
        writer.begin(NlMsgHdr.NLMSG_ERROR, NlMsgHdr.NLM_F_CAPPED, sequence);
        int payload = writer.reserve(NlMsgErr.LENGTH);
        HostOrder.putInt(writer.buffer(), payload + NlMsgErr.ERROR_OFFSET, -errno);
        return finish(writer, portId);
    }

    /** An {@code RTM_NEWADDR} with IFA_ADDRESS and IFA_LOCAL. */
    static byte[] address(int index, int family, int prefixLength, byte[] local, byte[] peer) {
        NlMsgWriter writer = new NlMsgWriter(ByteBuffer.allocate(256));
        writer.begin(RtmType.RTM_NEWADDR, NlMsgHdr.NLM_F_MULTI, 1);
        new IfAddrMsg().wrap(writer.buffer(), writer.reserve(IfAddrMsg.LENGTH)).family(family)
            .prefixLength(prefixLength).index(index);
        if (peer != null) {
            writer.attribute(IfAddrMsg.IFA_ADDRESS, peer);
        }
        if (local != null) {
            writer.attribute(IfAddrMsg.IFA_LOCAL, local);
        }
        writer.attribute(IfAddrMsg.IFA_LABEL, "jn0");
        return finish(writer, 0);
    }

    private static byte[] finish(NlMsgWriter writer, int portId) {
        int length = writer.finish();
        new NlMsgHdr().wrap(writer.buffer(), 0).portId(portId);
        byte[] bytes = new byte[length];
        writer.buffer().get(0, bytes);
        return bytes;
    }

    /** Messages concatenated into one datagram in a direct buffer. */
    static ByteBuffer datagram(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            out.writeBytes(message);
        }
        byte[] all = out.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(all.length, 16));
        buffer.put(0, all);
        return buffer;
    }

    static int length(byte[]... messages) {
        int total = 0;
        for (byte[] message : messages) {
            total += message.length;
        }
        return total;
    }
}
