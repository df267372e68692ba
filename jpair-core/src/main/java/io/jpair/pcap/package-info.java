/**
 * Writing packets to pcap files (the classic libpcap format that {@code tcpdump}, {@code tshark}
 * and Wireshark read): {@link io.jpair.pcap.PcapWriter} appends records from a
 * {@link java.nio.ByteBuffer} with no allocation per packet; {@link io.jpair.pcap.LinkType} names
 * the link-layer header type of a TUN ({@link io.jpair.pcap.LinkType#RAW}) or TAP
 * ({@link io.jpair.pcap.LinkType#ETHERNET}) device.
 *
 * <p>Depends on {@code io.jpair.tuntap} (device types) and the JDK only; never calls the OS
 * except through NIO channels.
 */
package io.jpair.pcap;
