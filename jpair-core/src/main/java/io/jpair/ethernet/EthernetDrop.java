package io.jpair.ethernet;

/** Why {@link EthernetProtocol} dropped a frame: one counter per reason. */
public enum EthernetDrop {
    /** Shorter than a header (including zero-length frames and a cut VLAN tag). */
    TRUNCATED,
    /** The type field is an IEEE 802.3 length (below 0x0600): LLC frames are not handled. */
    NOT_ETHERNET_II,
    /** Unicast to another station while a local address filter is set. */
    NOT_FOR_US,
    /**
     * An 802.1Q (0x8100) or 802.1ad (0x88A8) tagged frame of a VLAN not accepted with
     * {@link EthernetProtocol#acceptVlan(int)}: by default every tagged frame.
     */
    VLAN_TAGGED,
    /** No protocol is registered for the EtherType. */
    UNKNOWN_ETHERTYPE,
    /** An upper protocol threw (the frame still went to the other protocols). */
    PROTOCOL_FAILED
}
