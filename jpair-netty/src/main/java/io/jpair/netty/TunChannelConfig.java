package io.jpair.netty;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;

/**
 * The configuration of a {@link TunChannel}: Netty's {@link DefaultChannelConfig} (auto-read,
 * allocator, write-buffer water marks, messages per read) with a {@link FixedRecvByteBufAllocator}
 * sized for the device's largest packet, since a packet device can neither report nor grow a
 * truncated read, and {@link PooledByteBufAllocator#DEFAULT} as the allocator: its buffers keep their
 * NIO view, so the fd is read into them with no copy and no allocation. (Netty 4.2's default
 * {@code AdaptiveByteBufAllocator} makes a new view per I/O call when {@code Unsafe} is off, the
 * JDK 25 default; with it, or with its buffers written to the channel, the channel copies through a
 * reused buffer instead.)
 */
public final class TunChannelConfig extends DefaultChannelConfig {
    private final TunChannel tun;

    TunChannelConfig(TunChannel channel, int packetBufferSize) {
        super(channel, new FixedRecvByteBufAllocator(packetBufferSize));
        this.tun = channel;
        setAllocator(PooledByteBufAllocator.DEFAULT);
    }

    @Override
    protected void autoReadCleared() {
        tun.clearReadInterest();
    }
}
