package io.jpair.netlink;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** Hex dumps and parses for byte-exact netlink assertions (spaces are ignored). */
final class Hex {
    private Hex() {
    }

    static String of(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(0, bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static ByteBuffer buffer(String hex) {
        byte[] bytes = bytes(hex);
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(bytes.length, 64));
        buffer.put(0, bytes);
        return buffer;
    }

    static String compact(String hex) {
        return hex.replace(" ", "");
    }
}
