/**
 * Interface configuration over rtnetlink, in pure Java (no {@code ip} subprocess): read and set
 * a link's state, MTU, addresses and routes ({@link io.jpair.netlink.RtNetlink}), and watch link
 * changes from a reactor ({@link io.jpair.netlink.LinkMonitor}).
 *
 * <p>Configuring a TUN device for a host, the way {@code jpair host} does:
 * <pre>{@code
 * try (RtNetlink rtnl = RtNetlink.open()) {
 *     rtnl.setMtu("tun0", 1400);                                   // 68..65535, >= 1280 with IPv6
 *     rtnl.addAddress("tun0", InetAddress.getByName("10.7.0.1"), 24);
 *     rtnl.addAddress("tun0", InetAddress.getByName("fd00:7::1"), 64);
 *     rtnl.setLinkUp("tun0", true);
 *     rtnl.addRoute(InetAddress.getByName("10.8.0.0"), 16, "tun0");
 *     LinkInfo link = rtnl.link("tun0");  // index, flags, up(), mtu, addresses
 * } catch (ErrnoException e) {
 *     // e.g. "tun0: RTM_NEWADDR: EPERM (Operation not permitted): needs CAP_NET_ADMIN ..."
 * }
 *
 * LinkMonitor monitor = new LinkMonitor(reactor, event -> {
 *     if (event.type() == LinkEvent.Type.DOWN) { ... }           // on the reactor thread
 * });
 * monitor.start();
 * }</pre>
 *
 * <p>Test rigs, without {@code ip}: a namespace, a veth pair into it, a bridge, a static
 * neighbour and a route with a gateway, table and metric. {@link io.jpair.netlink.RtNetlink#openIn}
 * acts inside another network namespace ({@code /proc/PID/ns/net} or an {@code ip netns} name);
 * {@link io.jpair.netlink.AsyncRtNetlink} does the same requests on a reactor, each a
 * {@code CompletableFuture}:
 * <pre>{@code
 * Path netns = Path.of("/proc/" + pid + "/ns/net");                // or RtNetlink.namedNamespace("rig")
 * try (RtNetlink rtnl = RtNetlink.open(); RtNetlink there = RtNetlink.openIn(netns)) {
 *     rtnl.createBridge("br0");
 *     rtnl.createVeth("veth0", "veth1", netns);                     // veth1 is created in netns
 *     rtnl.setMaster("veth0", "br0");
 *     there.setLinkUp("veth1", true);
 *     there.addAddress("veth1", InetAddress.getByName("10.9.0.2"), 24);
 *     there.addNeighbour("veth1", InetAddress.getByName("10.9.0.1"), mac, NeighbourState.PERMANENT);
 *     there.addRoute(Route.to(InetAddress.getByName("10.20.0.0"), 16)
 *         .via(InetAddress.getByName("10.9.0.1")).table(100).metric(5));
 * }
 * }</pre>
 *
 * <p>Wire formats are flyweights over {@link java.nio.ByteBuffer}s in host byte order
 * ({@link io.jpair.netlink.NlMsgHdr}, {@link io.jpair.netlink.NlMsgErr},
 * {@link io.jpair.netlink.IfInfoMsg}, {@link io.jpair.netlink.IfAddrMsg},
 * {@link io.jpair.netlink.RtMsg}, {@link io.jpair.netlink.NdMsg}, {@link io.jpair.netlink.RtAttr}); requests are built with
 * {@link io.jpair.netlink.NlMsgWriter}. Kernel errors are {@link io.jpair.errno.ErrnoException}s
 * naming the request type, the device and the errno.
 *
 * <p>Both talk to the kernel only through a {@link io.jpair.netlink.NetlinkChannel} (send a
 * request, receive a datagram, port id, fd, close), which the kernel's {@code NETLINK_ROUTE}
 * socket implements; {@link io.jpair.netlink.RtNetlink#open(io.jpair.netlink.NetlinkChannel.Opener)},
 * {@link io.jpair.netlink.RtNetlink#over} and the three-argument
 * {@link io.jpair.netlink.LinkMonitor} constructor take another one. Tests use
 * {@code io.jpair.testing.MemoryNetlink}, an in-memory kernel that records requests and replays
 * replies, errors and notifications, so netlink code is tested without root:
 * <pre>{@code
 * MemoryNetlink kernel = new MemoryNetlink();
 * kernel.addLink("tun0", 1500);
 * try (RtNetlink rtnl = RtNetlink.open(kernel)) {
 *     rtnl.setMtu("tun0", 1400);
 * }
 * kernel.lastRequest().intAttribute(IfInfoMsg.IFLA_MTU);   // 1400
 * }</pre>
 *
 * <p>Depends on {@code io.jpair.reactor}, {@code io.jpair.errno} and {@code io.jpair.sys}
 * (sockets in {@code NetlinkSocket}, {@code setns} and namespace files in {@code NamespaceFd}),
 * and SLF4J.
 */
package io.jpair.netlink;
