package io.jpair.tuntap;

import static org.assertj.core.api.Assertions.assertThat;

import io.jpair.kernel.KernelTest;
import io.jpair.reactor.EpollReactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KernelTest
class TuntapPortKernelTest {
    private EpollReactor reactor;

    @BeforeEach
    void createReactor() throws Exception {
        reactor = new EpollReactor();
    }

    @AfterEach
    void closeReactor() {
        reactor.close();
    }

    @Test
    void kernelCompletesANamePattern() throws Exception {
        TuntapPort port = new TuntapPort("jp%d", new RecordingIpProtocol(), reactor);
        port.startListening();
        try {
            assertThat(port.interfaceName()).isEqualTo("jp0");
            assertThat(port.getHost()).isEqualTo(new TunnelAddress(TunnelFlags.IFF_TUN, "jp0"));
        } finally {
            port.stopListening();
            reactor.runOnce(0);
        }
        assertThat(port.fileno()).isEqualTo(-1);
    }
}
