package io.jpair.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.kernel.Shell;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * README "A first program": the Sniffer, started as the README says, on a TUN device given an
 * address and brought up with {@code ip}, sees the packets {@code ping} routes into it. Bounded:
 * three pings, each wait 10 s at most.
 */
@KernelTest
class SnifferKernelTest {
    private static final String SNIFFER = "io.jpair.examples.Sniffer";
    private static final String DEVICE = "jsniff0";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ExampleProcess startOnAddressedUpDevice() throws Exception {
        ExampleProcess sniffer = ExampleProcess.start(SNIFFER, DEVICE);
        sniffer.awaitLine(("listening on <TunnelAddress type=IFF_TUN name='" + DEVICE + "'>")::equals, WAIT);
        Shell.check("ip", "addr", "add", "10.99.0.1/24", "dev", DEVICE);
        Shell.check("ip", "-6", "addr", "add", "fd00:99::1/64", "dev", DEVICE, "nodad");
        Shell.check("ip", "link", "set", DEVICE, "up");
        return sniffer;
    }

    @Test
    void snifferPrintsSizeAndVersionOfEachIpv4Ping() throws Exception {
        try (ExampleProcess sniffer = startOnAddressedUpDevice()) {
            Shell.run(10, "ping", "-c", "3", "-i", "0.2", "-W", "1", "-n", "10.99.0.2");   // nobody answers
            for (int i = 0; i < 3; i++) {
                sniffer.awaitLine("84 bytes, IPv4"::equals, WAIT);   // 20 (IPv4) + 8 (ICMP) + 56 (ping's data)
            }
        }
    }

    @Test
    void snifferPrintsSizeAndVersionOfEachIpv6Ping() throws Exception {
        try (ExampleProcess sniffer = startOnAddressedUpDevice()) {
            Shell.run(10, "ping", "-6", "-c", "3", "-i", "0.2", "-W", "1", "-n", "fd00:99::2");
            for (int i = 0; i < 3; i++) {
                sniffer.awaitLine("104 bytes, IPv6"::equals, WAIT);  // 40 (IPv6) + 8 (ICMPv6) + 56
            }
        }
    }

    @Test
    void snifferLogsWithTheSlf4jBindingAndPrintsNoProviderWarning() throws Exception {
        try (ExampleProcess sniffer = startOnAddressedUpDevice()) {
            Shell.run(10, "ping", "-c", "1", "-W", "1", "-n", "10.99.0.2");
            sniffer.awaitLine("84 bytes, IPv4"::equals, WAIT);
            assertThat(sniffer.transcript()).doesNotContain("SLF4J");
        }
    }

    @Test
    void stoppingTheSnifferRemovesItsDevice() throws Exception {
        try (ExampleProcess sniffer = startOnAddressedUpDevice()) {
            assertThat(sniffer.stop()).as("exit status after SIGTERM").isEqualTo(143);
        }
        assertThat(Shell.run(10, "ip", "link", "show", DEVICE).output()).contains("does not exist");
    }
}
