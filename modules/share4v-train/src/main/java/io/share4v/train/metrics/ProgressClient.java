package io.share4v.train.metrics;

import io.share4v.train.collective.JobToken;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rank's end of the progress channel: one connection to the driver's {@link ProgressServer} per attempt, its
 * hello checked by the server before anything else. {@link #report} only queues the line; a background thread sends
 * it, so a slow or vanished driver never holds a training step. Metrics are not the model: when the driver cannot be
 * reached, refuses the rank or goes away mid-run, the rank logs one warning and trains on, dropping its reports (the
 * driver names the steps it lacks at the end).
 */
public final class ProgressClient implements RunReporter {
    /** Reports queued at most (a few hours of steps) before new ones are dropped. */
    static final int QUEUE_LINES = 10_000;
    /** {@link #close} waits this long for the queued reports to be sent. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ProgressClient.class);
    private static final String END = "";

    private final String driver;
    private final int rank;
    private final Socket socket;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_LINES);
    private final Thread sender;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean broken;
    private volatile boolean closed;

    private ProgressClient(String driver, int rank, Socket socket) {
        this.driver = driver;
        this.rank = rank;
        this.socket = socket;
        this.broken = socket == null;
        if (socket == null) {
            this.sender = null;
        } else {
            this.sender = new Thread(this::sendLoop, "progress-to-driver-rank-" + rank);
            sender.setDaemon(true);
            sender.start();
        }
    }

    /**
     * Connects rank {@code rank} of {@code world} in attempt {@code attempt} to the server at {@code host:port} that
     * knows {@code token}, within {@code timeout}. Never fails: a rank that cannot connect gets a reporter that
     * drops, after one warning.
     */
    public static ProgressClient connect(
            String host, int port, byte[] token, String attempt, int rank, int world, Duration timeout) {
        String driver = host + ":" + port;
        Socket socket = new Socket();
        try {
            int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            socket.connect(new InetSocketAddress(host, port), ms);
            socket.setSoTimeout(ms);
            socket.setTcpNoDelay(true);
            ProgressWire.Hello hello = new ProgressWire.Hello(
                    ProgressWire.PROTOCOL,
                    ProgressWire.VERSION,
                    Base64.getEncoder().encodeToString(JobToken.of(token).digest()),
                    attempt,
                    rank,
                    world);
            OutputStream out = socket.getOutputStream();
            out.write((ProgressWire.encode(hello) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String answer = ProgressWire.readLine(socket.getInputStream(), ProgressWire.MAX_HANDSHAKE_LINE);
            if (!ProgressWire.ACCEPTED.equals(answer)) {
                throw new IOException("the driver refused the connection (a wrong token or protocol version: see the"
                        + " driver's log)");
            }
            socket.setSoTimeout(0);
            return new ProgressClient(driver, rank, socket);
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "rank {} cannot report training progress to the driver at {}: {}; training continues, the driver"
                            + " will lack this rank's metrics",
                    rank,
                    driver,
                    e.getMessage());
            try {
                socket.close();
            } catch (IOException ignored) {
                // the rank trains on without a connection either way
            }
            return new ProgressClient(driver, rank, null);
        }
    }

    /** Whether reports still reach the driver (false after a failed connect or a lost connection). */
    public boolean connected() {
        return !broken;
    }

    @Override
    public void report(ProgressEvent event) {
        if (broken || closed) {
            return;
        }
        if (!queue.offer(ProgressWire.encode(event)) && dropped.getAndIncrement() == 0) {
            log.warn(
                    "rank {}: the driver at {} does not keep up with the training progress reports; dropping them",
                    rank,
                    driver);
        }
    }

    private void sendLoop() {
        try (OutputStream out = new BufferedOutputStream(socket.getOutputStream())) {
            for (String line = queue.take(); !END.equals(line); line = queue.take()) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
            out.flush();
        } catch (IOException e) {
            broken = true;
            queue.clear();
            if (!closed) {
                log.warn(
                        "rank {} lost its connection to the driver at {}: {}; training continues without reporting"
                                + " progress (the driver names the missing steps at the end)",
                        rank,
                        driver,
                        e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends what is queued (waiting at most {@link #CLOSE_TIMEOUT}) and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sender != null) {
            try {
                if (queue.offer(END)) {
                    sender.join(CLOSE_TIMEOUT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                socket.close(); // ends a sender still blocked on a driver that stopped reading
            } catch (IOException ignored) {
                // closing is all that is left to do
            }
        }
        if (dropped.get() > 0) {
            log.warn("rank {} dropped {} training progress reports", rank, dropped.get());
        }
    }
}
