package io.jpair.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Reusable decoder of an {@code RTM_NEWADDR} message: index and {@link LinkAddress}. Never
 * throws on malformed input.
 */
final class AddressMessage {
    private final IfAddrMsg ifAddr = new IfAddrMsg();
    private final RtAttr attribute = new RtAttr();

    int index;
    LinkAddress address;

    /**
     * Decodes the message at {@code messageOffset}, which the caller has checked with
     * {@link NlMsgHdr#isValid}.
     *
     * @param buffer the bytes
     * @param messageOffset the message's header offset
     * @return false if it is not a well-formed IPv4/IPv6 address message
     */
    boolean decode(ByteBuffer buffer, int messageOffset) {
        int end = messageOffset + NlMsgHdr.length(buffer, messageOffset);
        int body = messageOffset + NlMsgHdr.LENGTH;
        address = null;
        if (end - body < IfAddrMsg.LENGTH) {
            return false;
        }
        ifAddr.wrap(buffer, body);
        index = ifAddr.index();
        int family = ifAddr.family();
        int size = family == IfAddrMsg.AF_INET ? 4 : family == IfAddrMsg.AF_INET6 ? 16 : -1;
        if (size < 0) {
            return false;
        }
        byte[] local = null;
        byte[] prefixAddress = null;
        for (boolean more = attribute.first(buffer, ifAddr.attributesOffset(), end); more; more = attribute.next()) {
            if (attribute.payloadLength() != size) {
                continue;
            }
            if (attribute.type() == IfAddrMsg.IFA_LOCAL) {
                local = attribute.getBytes();
            } else if (attribute.type() == IfAddrMsg.IFA_ADDRESS) {
                prefixAddress = attribute.getBytes();
            }
        }
        byte[] bytes = local != null ? local : prefixAddress;
        if (bytes == null || ifAddr.prefixLength() > size * 8) {
            return false;
        }
        try {
            address = new LinkAddress(InetAddress.getByAddress(bytes), ifAddr.prefixLength());
        } catch (UnknownHostException e) {
            return false;
        }
        return true;
    }
}
