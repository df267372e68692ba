package io.jpair.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Big-endian (network byte order) field access on a {@link ByteBuffer} at absolute indexes,
 * whatever the buffer's own {@link ByteBuffer#order() order}: the accessors every header view of
 * the stack uses. Never moves position or limit; allocates nothing.
 */
public final class NetworkOrder {
    private NetworkOrder() {
    }

    /**
     * An unsigned byte.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @return 0..255
     */
    public static int u8(ByteBuffer buffer, int index) {
        return buffer.get(index) & 0xFF;
    }

    /**
     * An unsigned big-endian 16-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @return 0..65535
     */
    public static int u16(ByteBuffer buffer, int index) {
        return (buffer.get(index) & 0xFF) << 8 | (buffer.get(index + 1) & 0xFF);
    }

    /**
     * A big-endian 32-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @return the value (as a signed int)
     */
    public static int i32(ByteBuffer buffer, int index) {
        int value = buffer.getInt(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value);
    }

    /**
     * A big-endian 64-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @return the value
     */
    public static long i64(ByteBuffer buffer, int index) {
        long value = buffer.getLong(index);
        return buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }

    /**
     * Writes a byte.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @param value the low 8 bits are written
     */
    public static void u8(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) value);
    }

    /**
     * Writes a big-endian 16-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @param value the low 16 bits are written
     */
    public static void u16(ByteBuffer buffer, int index, int value) {
        buffer.put(index, (byte) (value >>> 8));
        buffer.put(index + 1, (byte) value);
    }

    /**
     * Writes a big-endian 32-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @param value the value
     */
    public static void i32(ByteBuffer buffer, int index, int value) {
        buffer.putInt(index, buffer.order() == ByteOrder.BIG_ENDIAN ? value : Integer.reverseBytes(value));
    }

    /**
     * Writes a big-endian 64-bit value.
     *
     * @param buffer the buffer
     * @param index absolute index
     * @param value the value
     */
    public static void i64(ByteBuffer buffer, int index, long value) {
        buffer.putLong(index, buffer.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value));
    }
}
