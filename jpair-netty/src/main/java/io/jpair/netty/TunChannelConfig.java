package io.jpair.netty;

import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.FixedRecvByteBufAllocator;

/**
 * The configuration of a {@link TunChannel}: Netty's {@link DefaultChannelConfig} (auto-read,
 * allocator, write-buffer water marks, messages per read) with a {@link FixedRecvByteBufAllocator}
 * sized for the device's largest packet, since a packet device can neither report nor grow a
 * truncated read.
 */
public final class TunChannelConfig extends DefaultChannelConfig {
    private final TunChannel tun;

    TunChannelConfig(TunChannel channel, int packetBufferSize) {
        super(channel, new FixedRecvByteBufAllocator(packetBufferSize));
        this.tun = channel;
    }

    @Override
    protected void autoReadCleared() {
        tun.clearReadInterest();
    }
}
