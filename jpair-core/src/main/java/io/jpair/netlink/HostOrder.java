package io.jpair.netlink;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Host-byte-order access to a {@link ByteBuffer}, whatever order the buffer itself is set to:
 * netlink headers and most attributes are in the CPU's order, not network order.
 */
final class HostOrder {
    private static final VarHandle INT =
        MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle SHORT =
        MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.nativeOrder());

    private HostOrder() {
    }

    static int getInt(ByteBuffer buffer, int index) {
        return (int) INT.get(buffer, index);
    }

    static void putInt(ByteBuffer buffer, int index, int value) {
        INT.set(buffer, index, value);
    }

    static int getUnsignedShort(ByteBuffer buffer, int index) {
        return Short.toUnsignedInt((short) SHORT.get(buffer, index));
    }

    static void putShort(ByteBuffer buffer, int index, int value) {
        SHORT.set(buffer, index, (short) value);
    }
}
