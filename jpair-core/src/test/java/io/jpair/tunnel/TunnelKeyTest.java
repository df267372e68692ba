package io.jpair.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files: three formats, refused when other users may read them, and never shown. */
class TunnelKeyTest {
    private static final byte[] KEY = HexFormat.of().parseHex(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @TempDir
    Path dir;

    private Path keyFile(byte[] content, String permissions) throws IOException {
        Path file = dir.resolve("tunnel.key");
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private static byte[] encoded(TunnelKey key) {
        return key.secretKey().getEncoded();
    }

    @Test
    void readsThirtyTwoRawBytes() throws IOException {
        assertThat(encoded(TunnelKey.read(keyFile(KEY, "rw-------")))).isEqualTo(KEY);
    }

    @Test
    void readsSixtyFourHexDigitsWithANewline() throws IOException {
        byte[] hex = (HexFormat.of().formatHex(KEY) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(encoded(TunnelKey.read(keyFile(hex, "r--------")))).isEqualTo(KEY);
    }

    @Test
    void readsBase64() throws IOException {
        byte[] base64 = (Base64.getEncoder().encodeToString(KEY) + "\n").getBytes(StandardCharsets.US_ASCII);
        assertThat(encoded(TunnelKey.read(keyFile(base64, "rw-r-----")))).isEqualTo(KEY);
    }

    @Test
    void refusesAFileOthersMayRead() throws IOException {
        Path file = keyFile(KEY, "rw-r--r--");
        assertThatThrownBy(() -> TunnelKey.read(file)).isInstanceOf(IOException.class)
            .hasMessage("key file " + file + " is accessible by other users (rw-r--r--): chmod 600 " + file);
    }

    @Test
    void refusesAFileTheGroupMayWrite() throws IOException {
        Path file = keyFile(KEY, "rw-rw----");
        assertThatThrownBy(() -> TunnelKey.read(file)).hasMessageContaining("chmod 600");
    }

    @Test
    void refusesContentInNoFormat() throws IOException {
        Path file = keyFile("not a key\n".getBytes(StandardCharsets.US_ASCII), "rw-------");
        assertThatThrownBy(() -> TunnelKey.read(file)).isInstanceOf(IOException.class)
            .hasMessageStartingWith("key file " + file + ": 10 bytes, not a key: give 32 raw bytes, 64 hex digits");
    }

    @Test
    void refusesAShortKey() {
        assertThatThrownBy(() -> TunnelKey.of(new byte[16])).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("a tunnel key is 32 bytes, not 16");
    }

    @Test
    void neverShowsTheKey() {
        assertThat(TunnelKey.of(KEY).toString()).isEqualTo("TunnelKey[256 bits]");
    }
}
