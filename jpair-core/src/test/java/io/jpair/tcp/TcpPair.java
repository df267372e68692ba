package io.jpair.tcp;

import io.jpair.ip.IPProtocol;
import io.jpair.stream.ProtocolFactory;
import io.jpair.testing.LossyLink;
import io.jpair.testing.MemoryReactor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Two TCP stacks (client 10.0.0.1 / fd00::1, server 10.0.0.2 / fd00::2) joined by a LossyLink. */
final class TcpPair {
    final MemoryReactor reactor = new MemoryReactor();
    final IPProtocol clientIp = new IPProtocol();
    final IPProtocol serverIp = new IPProtocol();
    final TcpProtocol client;
    final TcpProtocol server;
    final LossyLink link;
    final List<RecordingProtocol> accepted = new ArrayList<>();

    TcpPair(long seed) {
        this(seed, TcpOptions.defaults(), TcpOptions.defaults());
    }

    TcpPair(long seed, TcpOptions clientOptions, TcpOptions serverOptions) {
        clientIp.addAddress(InetAddress.ofLiteral("10.0.0.1"), 24).addAddress(InetAddress.ofLiteral("fd00::1"), 64);
        serverIp.addAddress(InetAddress.ofLiteral("10.0.0.2"), 24).addAddress(InetAddress.ofLiteral("fd00::2"), 64);
        client = new TcpProtocol(clientIp, reactor).options(clientOptions);
        server = new TcpProtocol(serverIp, reactor).options(serverOptions);
        clientIp.addProto(TcpProtocol.PROTOCOL, client);
        serverIp.addProto(TcpProtocol.PROTOCOL, server);
        link = new LossyLink(reactor, seed).attach(clientIp).attach(serverIp);
    }

    TcpListener listen(int port, ProtocolFactory<RecordingProtocol> factory) {
        return server.listen(port, peer -> {
            RecordingProtocol p = factory.buildProtocol(peer);
            if (p != null) {
                accepted.add(p);
            }
            return p;
        });
    }

    TcpListener listenRecording(int port) {
        return listen(port, peer -> new RecordingProtocol());
    }

    CompletableFuture<RecordingProtocol> connect(String address, int port, RecordingProtocol protocol) {
        return client.connect(new InetSocketAddress(InetAddress.ofLiteral(address), port), peer -> protocol);
    }

    void run(Duration duration) {
        link.runFor(duration);
    }

    void settle() {
        link.runFor(Duration.ofSeconds(1));
    }
}
