package io.jpair.cli;

import io.jpair.ethernet.MacAddress;
import io.jpair.netlink.LinkAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option value parsers: a bad value is a usage error (exit 2) that says what was expected.
 */
final class OptionConverters {
    private OptionConverters() {
    }

    /** {@code 10.0.0.2/24} or {@code fd00::2/64}: a literal host address ({@link AddressLiteral}). */
    static final class Address implements ITypeConverter<LinkAddress> {
        @Override
        public LinkAddress convert(String value) {
            try {
                return AddressLiteral.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code IP:PORT} or {@code [IPv6]:PORT}: a literal address (no name is looked up) and a port 1..65535. */
    static final class SocketAddress implements ITypeConverter<InetSocketAddress> {
        @Override
        public InetSocketAddress convert(String value) {
            int colon = value.lastIndexOf(':');
            String host = colon > 0 ? value.substring(0, colon) : "";
            boolean bracketed = host.startsWith("[") && host.endsWith("]");
            if (bracketed) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                if (host.isEmpty() || host.contains(":") != bracketed) {
                    throw new IllegalArgumentException();
                }
                InetAddress address = AddressLiteral.literal(host);
                return new InetSocketAddress(address, new Port().convert(value.substring(colon + 1)));
            } catch (IllegalArgumentException | TypeConversionException e) {
                throw new TypeConversionException("'" + value + "' is not IP:PORT such as 10.98.1.1:5555 or"
                    + " [fd00::1]:5555 (a literal address, a port 1..65535)");
            }
        }
    }

    /** A UDP port, 1..65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port >= 1 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new TypeConversionException("'" + value + "' is not a port number 1..65535");
        }
    }

    /** A station's MAC address such as {@code 02:6a:70:00:00:02}: unicast (group bit clear), not zero. */
    static final class Mac implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            MacAddress mac;
            try {
                mac = MacAddress.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a MAC address such as 02:6a:70:00:00:02");
            }
            if (MacAddress.isGroup(mac.value())) {
                throw new TypeConversionException("'" + value + "' is a multicast/broadcast MAC (the low bit of the"
                    + " first octet is set): a station needs a unicast one such as 02:6a:70:00:00:02");
            }
            if (mac.value() == 0) {
                throw new TypeConversionException("'" + value + "' is the zero MAC: a station needs a unicast one"
                    + " such as 02:6a:70:00:00:02");
            }
            return mac.toString();
        }
    }

    /** A Linux interface name: 1 to 15 printable ASCII characters, no '/', ':' or spaces. */
    static final class DeviceName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            boolean valid = !value.isEmpty() && value.length() <= 15 && !value.equals(".") && !value.equals("..");
            for (int i = 0; valid && i < value.length(); i++) {
                char c = value.charAt(i);
                valid = c > ' ' && c < 0x7f && c != '/' && c != ':';
            }
            if (!valid) {
                throw new TypeConversionException("'" + value + "' is not an interface name: 1 to 15 characters"
                    + " without '/', ':' or spaces (a pattern such as jp%d lets the kernel pick the number)");
            }
            return value;
        }
    }
}
