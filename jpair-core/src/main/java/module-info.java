/**
 * jpair: Twisted's {@code twisted.pair} for Java over the FFM API. A program that uses jpair on
 * the module path {@code requires io.jpair.core;} and runs with
 * {@code --enable-native-access=io.jpair.core} (on the class path:
 * {@code --enable-native-access=ALL-UNNAMED}).
 *
 * <p>Every package is exported except {@code io.jpair.sys}, the FFM bindings, which is internal:
 * its classes are public only so the library's own packages can share them, and no exported
 * signature names one of them ({@code ModuleDescriptorTest} checks the export list).
 */
module io.jpair.core {
    requires org.slf4j;

    exports io.jpair.checksum;
    exports io.jpair.errno;
    exports io.jpair.ethernet;
    exports io.jpair.host;
    exports io.jpair.ip;
    exports io.jpair.netlink;
    exports io.jpair.pcap;
    exports io.jpair.privileges;
    exports io.jpair.reactor;
    exports io.jpair.testing;
    exports io.jpair.transport;
    exports io.jpair.tuntap;
    exports io.jpair.udp;
}
