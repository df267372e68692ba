package io.jpair.tcp;

import io.jpair.stream.Protocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Records what a connection delivers; optionally echoes. */
class RecordingProtocol extends Protocol {
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final List<Throwable> lost = new ArrayList<>();
    int made;
    int readClosed;
    int deliveries;
    boolean echo;
    boolean closeOnReadClosed = true;

    RecordingProtocol echoing() {
        echo = true;
        return this;
    }

    RecordingProtocol halfOpen() {
        closeOnReadClosed = false;
        return this;
    }

    @Override
    protected void connectionMade() {
        made++;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        deliveries++;
        if (echo) {
            transport().write(data);
        }
        byte[] b = new byte[data.remaining()];
        data.get(b);
        received.writeBytes(b);
    }

    @Override
    public void readConnectionLost() {
        readClosed++;
        if (closeOnReadClosed) {
            super.readConnectionLost();
        }
    }

    @Override
    public void connectionLost(Throwable reason) {
        lost.add(reason);
    }

    byte[] bytes() {
        return received.toByteArray();
    }

    TcpConnection connection() {
        return (TcpConnection) transport();
    }
}
