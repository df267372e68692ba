/**
 * jpair: Twisted's {@code twisted.pair} for Java over the FFM API. A program that uses jpair on
 * the module path {@code requires io.jpair.core;} and runs with
 * {@code --enable-native-access=io.jpair.core} (on the class path:
 * {@code --enable-native-access=ALL-UNNAMED}).
 *
 * <p>Every package is exported except two internal ones, whose classes are public only so the
 * library's own packages can share them: {@code io.jpair.sys}, the FFM bindings, and
 * {@code io.jpair.tuntap.internal}, the TUN ioctl codes and {@code struct ifreq} shared by
 * {@code io.jpair.tuntap} and {@code io.jpair.testing}. No exported signature names one of their
 * classes (javac's {@code -Xlint:exports} would fail the build), and {@code ModuleDescriptorTest}
 * checks the export list.
 */
module io.jpair.core {
    requires org.slf4j;
    // io.jpair.metrics names MBeans with javax.management.ObjectName, so its users read the module too.
    requires transitive java.management;

    exports io.jpair.errno;
    exports io.jpair.ethernet;
    exports io.jpair.host;
    exports io.jpair.ip;
    exports io.jpair.metrics;
    exports io.jpair.neighbour;
    exports io.jpair.netlink;
    exports io.jpair.pcap;
    exports io.jpair.privileges;
    exports io.jpair.reactor;
    exports io.jpair.services;
    exports io.jpair.socket;
    exports io.jpair.stream;
    exports io.jpair.tcp;
    exports io.jpair.testing;
    exports io.jpair.transport;
    exports io.jpair.tunnel;
    exports io.jpair.tuntap;
    exports io.jpair.tuntap.offload;
    exports io.jpair.udp;
    exports io.jpair.wire;
}
