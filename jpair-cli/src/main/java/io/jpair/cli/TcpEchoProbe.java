package io.jpair.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A kernel TCP client (an ordinary {@link Socket}) that sends numbered lines to an echo service
 * over one connection, waits for each to come back unchanged, then half-closes and expects the
 * service to close its side too (end of stream), bounded in count and time.
 */
final class TcpEchoProbe implements Probe {
    /** How long the connection and each echo are awaited. */
    static final int TIMEOUT_MILLIS = 2000;

    private volatile Socket socket;
    private volatile boolean cancelled;

    /**
     * Runs {@code count} round trips from {@code local} to {@code remote:port}.
     *
     * @param local the kernel-side address to connect from
     * @param remote the echo service's address
     * @param port the echo service's port
     * @param count how many lines
     * @return echoes received and their round-trip times; a problem if the service did not close
     *     after the client's FIN
     */
    RoundTrips run(InetAddress local, InetAddress remote, int port, int count) {
        List<Double> rtts = new ArrayList<>();
        int sent = 0;
        try (Socket connection = new Socket()) {
            socket = connection;
            if (cancelled) {
                return RoundTrips.failed("stopped");
            }
            connection.bind(new InetSocketAddress(local, 0));
            connection.setTcpNoDelay(true);
            connection.setSoTimeout(TIMEOUT_MILLIS);
            connection.connect(new InetSocketAddress(remote, port), TIMEOUT_MILLIS);
            OutputStream out = connection.getOutputStream();
            InputStream in = connection.getInputStream();
            for (int i = 1; i <= count && !cancelled; i++) {
                byte[] line = ("jpair demo line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                long start = System.nanoTime();
                out.write(line);
                sent++;
                byte[] echo = in.readNBytes(line.length);
                if (Arrays.equals(line, echo)) {
                    rtts.add((System.nanoTime() - start) / 1e6);
                }
            }
            connection.shutdownOutput();
            if (in.read() != -1) {
                return new RoundTrips(sent, rtts.size(), rtts, "the service sent more than the echo");
            }
        } catch (SocketTimeoutException e) {
            return new RoundTrips(Math.max(sent, 1), rtts.size(), rtts, "no answer within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            return new RoundTrips(Math.max(sent, 1), rtts.size(), rtts, cancelled ? "stopped" : e.getMessage());
        }
        return new RoundTrips(sent, rtts.size(), rtts, cancelled ? "stopped" : null);
    }

    /** Stops the exchange: the socket is closed, which ends a pending read. */
    @Override
    public void cancel() {
        cancelled = true;
        Socket open = socket;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing is all that is wanted
            }
        }
    }
}
