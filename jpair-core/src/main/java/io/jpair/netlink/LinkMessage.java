package io.jpair.netlink;

import java.nio.ByteBuffer;

/**
 * Reusable decoder of an {@code RTM_NEWLINK}/{@code RTM_DELLINK} message: the fields jpair
 * uses, read once from the {@link IfInfoMsg} and its attributes. Never throws on malformed input.
 */
final class LinkMessage {
    private final IfInfoMsg ifInfo = new IfInfoMsg();
    private final RtAttr attribute = new RtAttr();

    int index;
    int flags;
    String name;
    int mtu;
    int minMtu;
    int maxMtu;

    /**
     * Decodes the message at {@code messageOffset}, which the caller has checked with
     * {@link NlMsgHdr#isValid}.
     *
     * @param buffer the bytes
     * @param messageOffset the message's header offset
     * @return false if the body is too short to be a link message
     */
    boolean decode(ByteBuffer buffer, int messageOffset) {
        int end = messageOffset + NlMsgHdr.length(buffer, messageOffset);
        int body = messageOffset + NlMsgHdr.LENGTH;
        if (end - body < IfInfoMsg.LENGTH) {
            return false;
        }
        ifInfo.wrap(buffer, body);
        index = ifInfo.index();
        flags = ifInfo.flags();
        name = null;
        mtu = 0;
        minMtu = 0;
        maxMtu = 0;
        for (boolean more = attribute.first(buffer, ifInfo.attributesOffset(), end); more; more = attribute.next()) {
            switch (attribute.type()) {
                case IfInfoMsg.IFLA_IFNAME -> name = attribute.getString();
                case IfInfoMsg.IFLA_MTU -> mtu = attribute.getInt();
                case IfInfoMsg.IFLA_MIN_MTU -> minMtu = Math.max(0, attribute.getInt());
                case IfInfoMsg.IFLA_MAX_MTU -> maxMtu = Math.max(0, attribute.getInt());
                default -> {
                    // not needed
                }
            }
        }
        if (name == null) {
            name = "if" + index;
        }
        return index > 0;
    }
}
