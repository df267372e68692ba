package io.jpair.transport;

/**
 * A protocol for whole Ethernet frames (Twisted's {@code IEthernetProtocol}): a
 * {@code TuntapPort} opens a TAP device for it. {@code io.jpair.ethernet.EthernetProtocol} is the
 * stock implementation, demultiplexing by EtherType.
 */
public interface FrameProtocol extends PacketProtocol {
}
