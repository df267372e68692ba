package io.jpair.tunnel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pre-shared 256-bit key of a sealed tunnel ({@link DatagramSeal}), the same on both ends.
 *
 * <p>{@link #read(Path)} takes a file holding the key as 32 raw bytes, 64 hex digits, or the
 * base64 of 32 bytes (surrounding white space ignored), e.g. made with
 * {@code head -c 32 /dev/urandom > tunnel.key; chmod 600 tunnel.key}. A file that other users may
 * read or write, or its group write, is refused, as {@code ssh} refuses such private keys: the key
 * is the tunnel's only secret.
 */
public final class TunnelKey {
    /** Key length in bytes. */
    public static final int LENGTH = 32;

    private final SecretKey key;

    private TunnelKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "ChaCha20");
    }

    /**
     * A key from its bytes.
     *
     * @param bytes exactly {@value #LENGTH} bytes (copied)
     * @return the key
     * @throws IllegalArgumentException for another length
     */
    public static TunnelKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a tunnel key is " + LENGTH + " bytes, not " + bytes.length);
        }
        return new TunnelKey(bytes.clone());
    }

    /**
     * Reads a key file (see the class comment for the formats).
     *
     * @param file the file
     * @return the key
     * @throws IOException naming the file, in one line: unreadable, open to other users, or not a
     *     key in any of the three formats
     */
    public static TunnelKey read(Path file) throws IOException {
        refuseSharedFile(file);
        byte[] content = Files.readAllBytes(file);
        try {
            byte[] key = decode(content);
            if (key == null) {
                throw new IOException("key file " + file + ": " + content.length + " bytes, not a key: give 32 raw"
                    + " bytes, 64 hex digits or the base64 of 32 bytes (head -c 32 /dev/urandom > " + file + ")");
            }
            try {
                return new TunnelKey(key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static void refuseSharedFile(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        if (permissions.contains(PosixFilePermission.OTHERS_READ) || permissions.contains(PosixFilePermission.OTHERS_WRITE)
                || permissions.contains(PosixFilePermission.GROUP_WRITE)) {
            throw new IOException("key file " + file + " is accessible by other users ("
                + PosixFilePermissions.toString(permissions) + "): chmod 600 " + file);
        }
    }

    /** The key in a file's content, or {@code null}. */
    static byte[] decode(byte[] content) {
        if (content.length == LENGTH) {
            return content.clone();
        }
        String text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.length() == 2 * LENGTH && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(text);
        }
        try {
            byte[] decoded = Base64.getDecoder().decode(text);
            if (decoded.length == LENGTH) {
                return decoded;
            }
            Arrays.fill(decoded, (byte) 0);
        } catch (IllegalArgumentException notBase64) {
            // none of the formats
        }
        return null;
    }

    /**
     * The key for {@code javax.crypto}.
     *
     * @return a {@code RAW} ChaCha20 key
     */
    SecretKey secretKey() {
        return key;
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "TunnelKey[256 bits]";
    }
}
