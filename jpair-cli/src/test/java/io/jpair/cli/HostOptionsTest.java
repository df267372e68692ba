package io.jpair.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code jpair host} refuses every option value that cannot work, before touching any device:
 * one line naming the option and the value, then where the help is, exit code 2.
 */
class HostOptionsTest {
    private record Run(int exitCode, String out, String err) {
    }

    private static Run host(String... args) {
        String[] line = new String[args.length + 3];
        line[0] = "host";
        line[1] = "--dev";
        line[2] = "jpopt0";
        System.arraycopy(args, 0, line, 3, args.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), line);
        return new Run(code, out.toString(), err.toString());
    }

    private static void assertUsageError(Run run, String line) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("jpair host: " + line + " (see `jpair help host`)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void outOfRangeOctetIsRefusedWithoutAskingDns() {
        assertUsageError(host("--address", "10.0.0.300/24"), "Invalid value for option '--address' (ADDR/PREFIX):"
            + " '10.0.0.300/24' is not a literal address such as 10.0.0.2/24 or fd00::2/64 (IPv4 is four decimal"
            + " numbers 0..255, no names, no shorthand such as 10.1)");
    }

    @Test
    void nameIsRefusedWithoutAskingDns() {
        assertThat(host("--address", "bad/24").err()).contains("'bad/24' is not a literal address");
        assertThat(host("--address", "localhost/8").err()).contains("'localhost/8' is not a literal address");
    }

    @Test
    void inetAtonShorthandIsRefused() {
        assertThat(host("--address", "10.1/24").err()).contains("'10.1/24' is not a literal address");
        assertThat(host("--address", "167772162/24").err()).contains("'167772162/24' is not a literal address");
        assertThat(host("--address", "0x0a.0.0.2/24").err()).contains("is not a literal address");
    }

    @Test
    void leadingZeroOctetIsRefusedRatherThanReadAsOctal() {
        assertThat(host("--address", "010.0.0.2/24").err()).contains("'010.0.0.2/24' is not a literal address");
    }

    @Test
    void ipv6ZoneOrBracketsAreRefused() {
        assertThat(host("--address", "fe80::2%eth0/64").err()).contains("is not a literal address");
        assertThat(host("--address", "[fd00::2]/64").err()).contains("is not a literal address");
    }

    @Test
    void ipv4MappedIpv6IsRefusedWithTheIpv4Form() {
        assertThat(host("--address", "::ffff:10.0.0.2/120").err())
            .contains("is an IPv4-mapped IPv6 address: give the IPv4 address itself, e.g. 10.0.0.2/24");
    }

    @Test
    void missingOrBadPrefixIsRefused() {
        assertThat(host("--address", "10.0.0.2").err()).contains("'10.0.0.2' has no /PREFIX");
        assertThat(host("--address", "10.0.0.2/33").err()).contains("the prefix length must be 1..32, not '33'");
        assertThat(host("--address", "10.0.0.2/+24").err()).contains("the prefix length must be 1..32, not '+24'");
        assertThat(host("--address", "fd00::2/0").err()).contains("the prefix length must be 1..128, not '0'");
    }

    @Test
    void multicastAddressIsRefused() {
        assertUsageError(host("--address", "224.0.0.5/24"),
            "Invalid value for option '--address' (ADDR/PREFIX): '224.0.0.5/24' is a multicast address, not a host's address");
        assertThat(host("--address", "ff02::2/64").err()).contains("'ff02::2/64' is a multicast address");
    }

    @Test
    void loopbackAddressIsRefused() {
        assertThat(host("--address", "127.0.0.2/8").err()).contains("'127.0.0.2/8' is a loopback address");
        assertThat(host("--address", "::1/128").err()).contains("'::1/128' is a loopback address");
    }

    @Test
    void unspecifiedAddressIsRefused() {
        assertThat(host("--address", "0.0.0.0/24").err()).contains("'0.0.0.0/24' is the unspecified address");
        assertThat(host("--address", "::/64").err()).contains("'::/64' is the unspecified address");
    }

    @Test
    void networkAddressOfThePrefixIsRefused() {
        assertUsageError(host("--address", "10.0.0.0/24"), "Invalid value for option '--address' (ADDR/PREFIX): '10.0.0.0/24'"
            + " is the network address of 10.0.0.0/24, not a host's address");
    }

    @Test
    void broadcastAddressOfThePrefixIsRefused() {
        assertThat(host("--address", "10.0.0.255/24").err())
            .contains("'10.0.0.255/24' is the broadcast address of 10.0.0.0/24");
        assertThat(host("--address", "10.0.1.255/23").err())
            .contains("'10.0.1.255/23' is the broadcast address of 10.0.0.0/23");
    }

    @Test
    void ipv6SubnetRouterAnycastAddressIsRefused() {
        assertThat(host("--address", "fd00::/64").err())
            .contains("'fd00::/64' is the subnet-router anycast address of fd00:0:0:0:0:0:0:0/64");
    }

    @Test
    void kernelAddressIsCheckedLikeJpairs() {
        assertThat(host("--address", "10.0.0.2/24", "--kernel-address", "10.0.0.255/24").err())
            .contains("Invalid value for option '--kernel-address' (ADDR/PREFIX): '10.0.0.255/24' is the broadcast address");
    }

    @Test
    void duplicateAddressIsRefused() {
        assertUsageError(host("--address", "10.0.0.2/24", "--address", "10.0.0.2/16"), "--address 10.0.0.2 is given twice");
    }

    @Test
    void kernelAddressEqualToJpairsIsRefused() {
        assertUsageError(host("--address", "10.0.0.2/24", "--kernel-address", "10.0.0.2/24"),
            "--kernel-address 10.0.0.2/24 is jpair's own --address: give the kernel side another address of the subnet");
    }

    @Test
    void duplicateUdpEchoPortIsRefused() {
        assertUsageError(host("--address", "10.0.0.2/24", "--udp-echo", "7", "--udp-echo", "7"),
            "--udp-echo 7 is given twice");
    }

    @Test
    void multicastMacIsRefused() {
        assertUsageError(host("--tap", "--mac", "03:6a:70:00:00:02", "--address", "10.0.0.2/24"),
            "Invalid value for option '--mac': '03:6a:70:00:00:02' is a multicast/broadcast MAC (the low bit of the"
                + " first octet is set): a station needs a unicast one such as 02:6a:70:00:00:02");
        assertThat(host("--tap", "--mac", "ff:ff:ff:ff:ff:ff", "--address", "10.0.0.2/24").err())
            .contains("is a multicast/broadcast MAC");
    }

    @Test
    void zeroMacIsRefused() {
        assertThat(host("--tap", "--mac", "00:00:00:00:00:00", "--address", "10.0.0.2/24").err())
            .contains("'00:00:00:00:00:00' is the zero MAC");
    }

    @Test
    void unknownUserIsAUsageErrorNamingTheUser() {
        assertUsageError(host("--address", "10.0.0.2/24", "--user", "no-such-user-here"),
            "--user no-such-user-here: no such user 'no-such-user-here' in /etc/passwd (give uid[:gid] numbers instead)");
    }

    @Test
    void unknownMkdevUserIsAUsageErrorNamingTheUser() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "mkdev", "--dev", "jpopt1", "--user", "nosuchuser9");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("jpair mkdev: --user nosuchuser9: no such user 'nosuchuser9'")
            .endsWith("(see `jpair help mkdev`)\n").doesNotContain("bug");
    }

    @Test
    void validAddressesOfBothFamiliesAreTaken() {
        assertThat(AddressLiteral.parse("10.0.0.2/24").toString()).isEqualTo("10.0.0.2/24");
        assertThat(AddressLiteral.parse("10.0.0.1/31").toString()).isEqualTo("10.0.0.1/31");
        assertThat(AddressLiteral.parse("10.0.0.0/31").toString()).as("RFC 3021: /31 has no network address")
            .isEqualTo("10.0.0.0/31");
        assertThat(AddressLiteral.parse("192.168.255.254/32").prefixLength()).isEqualTo(32);
        assertThat(AddressLiteral.parse("FD00::2/64").isIpv6()).isTrue();
    }

    @Test
    void tapMtuAboveTheTunDriversTapLimitIsAUsageError() {
        assertUsageError(host("--tap", "--address", "10.0.0.2/24", "--mtu", "65535"),
            "--mtu must be 68..65521 on TAP (the tun driver's limit: 65535 less the Ethernet header), not 65535");
    }

    @Test
    void tunMtuAboveTheIpLimitIsAUsageError() {
        assertUsageError(host("--address", "10.0.0.2/24", "--mtu", "65536"), "--mtu must be 68..65535, not 65536");
    }

    @Test
    void mtuBelowIpv6sMinimumIsAUsageErrorWithAnIpv6Address() {
        assertUsageError(host("--tap", "--address", "fd00::2/64", "--mtu", "1279"),
            "--mtu must be 1280..65521 on TAP (the tun driver's limit: 65535 less the Ethernet header) and with an"
                + " IPv6 address, not 1279");
    }

    @Test
    void aTcpPortGivenTwiceToOneServiceIsRefused() {
        assertUsageError(host("--address", "10.0.0.2/24", "--tcp-echo", "7", "--tcp-echo", "7"),
            "--tcp-echo 7 is given twice");
    }

    @Test
    void aTcpPortGivenToTwoServicesIsRefused() {
        assertUsageError(host("--address", "10.0.0.2/24", "--tcp-echo", "7", "--http", "7"),
            "--http 7: TCP port 7 is already --tcp-echo 7");
    }

    @Test
    void aBadTcpPortIsRefused() {
        assertThat(host("--address", "10.0.0.2/24", "--tcp-source", "0").err())
            .contains("'0' is not a port number 1..65535");
    }
}
