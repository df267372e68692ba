package io.jpair.socket;

import io.jpair.stream.Protocol;
import java.nio.ByteBuffer;

/** Writes back what it receives. */
final class Echo extends Protocol {
    @Override
    public void dataReceived(ByteBuffer data) {
        transport().write(data);
    }
}
