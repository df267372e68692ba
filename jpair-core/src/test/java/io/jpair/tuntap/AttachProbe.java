package io.jpair.tuntap;

import io.jpair.reactor.EpollReactor;
import io.jpair.transport.CannotListenException;

/**
 * Started in a child JVM as another user by {@link TuntapPortKernelTest}: tries to attach a TUN
 * port to the device named in {@code args[0]} and prints {@code OK <name>} or
 * {@code FAILED <message>}.
 */
public final class AttachProbe {
    private AttachProbe() {
    }

    /**
     * Entry point.
     *
     * @param args the device name
     * @throws Exception if the reactor cannot be created
     */
    public static void main(String[] args) throws Exception {
        try (EpollReactor reactor = new EpollReactor()) {
            TuntapPort port = new TuntapPort(args[0], new RecordingIpProtocol(), reactor);
            try {
                port.startListening();
                System.out.println("OK " + port.interfaceName());
                port.stopListening();
                reactor.runOnce(0);
            } catch (CannotListenException e) {
                System.out.println("FAILED " + e.getMessage());
            }
        }
    }
}
