package io.jpair.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A kernel UDP client (an ordinary {@link DatagramSocket}) that sends numbered datagrams to an
 * echo service and waits for each to come back unchanged, bounded in count and time.
 */
final class UdpProbe implements Probe {
    /** How long each reply is awaited. */
    static final int REPLY_TIMEOUT_MILLIS = 1000;

    private volatile DatagramSocket socket;
    private volatile boolean cancelled;

    /**
     * Runs {@code count} round trips from {@code local} to {@code remote:port}.
     *
     * @param local the kernel-side address to send from
     * @param remote the echo service's address
     * @param port the echo service's port
     * @param count how many datagrams
     * @return echoes received (identical payloads only) and their round-trip times
     */
    RoundTrips run(InetAddress local, InetAddress remote, int port, int count) {
        List<Double> rtts = new ArrayList<>();
        int sent = 0;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            this.socket = socket;
            socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
            socket.connect(remote, port);
            byte[] reply = new byte[2048];
            for (int i = 1; i <= count && !cancelled; i++) {
                byte[] payload = ("jpair demo datagram " + i).getBytes(StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                socket.send(new DatagramPacket(payload, payload.length));
                sent++;
                DatagramPacket received = new DatagramPacket(reply, reply.length);
                try {
                    socket.receive(received);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                long elapsed = System.nanoTime() - start;
                if (Arrays.equals(payload, 0, payload.length, reply, 0, received.getLength())) {
                    rtts.add(elapsed / 1e6);
                }
            }
        } catch (IOException e) {
            return new RoundTrips(Math.max(sent, 1), rtts.size(), rtts, cancelled ? "stopped" : e.getMessage());
        }
        return new RoundTrips(sent, rtts.size(), rtts, cancelled ? "stopped" : null);
    }

    /** Stops the exchange: the socket is closed, which ends a pending receive. */
    @Override
    public void cancel() {
        cancelled = true;
        DatagramSocket open = socket;
        if (open != null) {
            open.close();
        }
    }
}
