package io.jpair.cli;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel UDP socket connected to a port nobody listens on: each datagram should come back as
 * ECONNREFUSED ({@link PortUnreachableException}), the kernel's reading of the ICMP port
 * unreachable the host sends, as {@code dig} or {@code socat} would see it. Bounded in count and
 * time.
 */
final class RefusalProbe implements Probe {
    private volatile DatagramSocket socket;
    private volatile boolean cancelled;

    /**
     * Sends {@code count} datagrams from {@code local} to {@code remote:port}, one at a time.
     *
     * @param local the kernel-side address to send from
     * @param remote the host's address
     * @param port a closed port
     * @param count how many datagrams
     * @return the refusals (as "replies") and the time each took
     */
    RoundTrips run(InetAddress local, InetAddress remote, int port, int count) {
        List<Double> rtts = new ArrayList<>();
        int sent = 0;
        String problem = null;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            this.socket = socket;
            socket.setSoTimeout(UdpProbe.REPLY_TIMEOUT_MILLIS);
            socket.connect(remote, port);
            byte[] reply = new byte[64];
            for (int i = 1; i <= count && !cancelled; i++) {
                long start = System.nanoTime();
                socket.send(new DatagramPacket(new byte[] {'?'}, 1));
                sent++;
                try {
                    socket.receive(new DatagramPacket(reply, reply.length));
                    problem = "port " + port + " answered: it is not closed";
                } catch (PortUnreachableException refused) {
                    rtts.add((System.nanoTime() - start) / 1e6);
                } catch (SocketTimeoutException e) {
                    problem = "no ICMP port unreachable within " + UdpProbe.REPLY_TIMEOUT_MILLIS + " ms";
                }
            }
        } catch (IOException e) {
            return new RoundTrips(Math.max(sent, 1), rtts.size(), rtts, cancelled ? "stopped" : e.getMessage());
        }
        return new RoundTrips(sent, rtts.size(), rtts, cancelled ? "stopped" : rtts.size() == sent ? null : problem);
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
