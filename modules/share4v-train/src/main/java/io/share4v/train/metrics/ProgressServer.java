package io.share4v.train.metrics;

import io.share4v.train.collective.JobToken;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's end of the progress channel: a server socket that every rank of every attempt connects to once
 * ({@link ProgressClient}), each connection read by its own thread into {@link RunProgress#reporter}. As in
 * PyTorch's TorchDistributor (task logs streamed to a server on the driver) and xgboost's tracker (which runs on the
 * driver), the driver listens and the tasks dial it; the address and a random per-run token reach the tasks in the
 * stage's closure. A connection whose hello is not a progress hello of this run (another protocol or version, a
 * wrong token, a rank outside the world, nothing within {@link #HELLO_TIMEOUT}) is refused: closed and logged.
 */
public final class ProgressServer implements AutoCloseable {
    /** A connection must send its hello within this time. */
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /** {@link #close} waits this long for the ranks' last lines before closing their connections. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(ProgressServer.class);

    private final ServerSocket server;
    private final String advertisedHost;
    private final JobToken token;
    private final RunProgress progress;
    private final Map<Socket, Thread> connections = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Thread acceptor;
    private volatile boolean closing;

    private ProgressServer(ServerSocket server, String advertisedHost, byte[] token, RunProgress progress) {
        this.server = server;
        this.advertisedHost = advertisedHost;
        this.token = JobToken.of(token);
        this.progress = progress;
        this.acceptor = new Thread(this::acceptLoop, "progress-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
    }

    /**
     * Listens on an ephemeral port of {@code bindHost} for the ranks reporting into {@code progress}, which reach it
     * as {@code advertisedHost} and prove {@code token} (at least 16 random bytes, e.g. {@link JobToken#random}).
     */
    public static ProgressServer start(String bindHost, String advertisedHost, byte[] token, RunProgress progress)
            throws IOException {
        if (token.length < 16) {
            throw new IllegalArgumentException("progress token of " + token.length + " bytes: expected >= 16");
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen for training progress on " + bindHost + ": " + e.getMessage(), e);
        }
        ProgressServer s = new ProgressServer(socket, advertisedHost, token, progress);
        s.acceptor.start();
        return s;
    }

    /** The host the ranks connect to. */
    public String host() {
        return advertisedHost;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections refused so far. */
    public int refusedConnections() {
        return refused.get();
    }

    private void acceptLoop() {
        while (!closing) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    log.warn("the training progress server stopped accepting: {}", e.getMessage(), e);
                }
                return;
            }
            Thread reader = new Thread(() -> serve(s), "progress-from-" + s.getRemoteSocketAddress());
            reader.setDaemon(true);
            connections.put(s, reader);
            reader.start();
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) HELLO_TIMEOUT.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String line = ProgressWire.readLine(in, ProgressWire.MAX_HANDSHAKE_LINE);
            ProgressWire.Hello hello = null;
            String problem;
            if (line == null) {
                problem = "no hello line (closed, or more than " + ProgressWire.MAX_HANDSHAKE_LINE + " bytes)";
            } else {
                try {
                    hello = ProgressWire.decode(line, ProgressWire.Hello.class);
                    problem = problem(hello);
                } catch (IOException e) {
                    problem = "not a progress hello";
                }
            }
            if (problem != null) {
                refused.incrementAndGet();
                log.warn(
                        "refused a training progress connection from {}: {}", socket.getRemoteSocketAddress(), problem);
                return;
            }
            socket.setSoTimeout(0); // steps may be far apart (a checkpoint of a large model takes minutes)
            read(socket, in, hello);
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                log.warn(
                        "training progress connection from {} failed: {}",
                        socket.getRemoteSocketAddress(),
                        e.toString());
            }
        } finally {
            connections.remove(socket);
        }
    }

    /** Null when {@code hello} is a rank of this run, else why not (the version and token judged first). */
    private String problem(ProgressWire.Hello h) {
        if (!ProgressWire.PROTOCOL.equals(h.protocol())) {
            return "not a progress hello (protocol " + h.protocol() + ")";
        }
        if (h.version() != ProgressWire.VERSION) {
            return "protocol version " + h.version() + ", this driver speaks " + ProgressWire.VERSION;
        }
        byte[] digest;
        try {
            digest = h.tokenSha256() == null ? new byte[0] : Base64.getDecoder().decode(h.tokenSha256());
        } catch (IllegalArgumentException e) {
            digest = new byte[0];
        }
        if (!token.matches(digest)) {
            return "wrong token";
        }
        if (h.world() < 1
                || h.rank() < 0
                || h.rank() >= h.world()
                || h.attempt() == null
                || h.attempt().isBlank()) {
            return "rank " + h.rank() + " of " + h.world() + " in attempt " + h.attempt() + " is not a rank";
        }
        return null;
    }

    /** Registers the rank, accepts it, and forwards its events until it closes. */
    private void read(Socket socket, InputStream in, ProgressWire.Hello hello) throws IOException {
        try (RunReporter reporter = progress.reporter(hello.attempt(), hello.rank(), hello.world())) {
            OutputStream out = socket.getOutputStream();
            out.write((ProgressWire.ACCEPTED + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                ProgressEvent event;
                try {
                    event = ProgressWire.decode(line, ProgressEvent.class);
                } catch (IOException e) {
                    log.warn("rank {} sent a malformed progress line, skipped: {}", hello.rank(), e.getMessage());
                    continue;
                }
                reporter.report(event);
            }
        }
    }

    /**
     * Stops accepting, waits up to {@link #DRAIN_TIMEOUT} for the connected ranks to finish (their last lines
     * read), then closes what is left.
     */
    @Override
    public void close() throws IOException {
        closing = true;
        server.close();
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        try {
            acceptor.join(DRAIN_TIMEOUT.toMillis());
            for (Thread t : connections.values()) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Map.Entry<Socket, Thread> c : connections.entrySet()) {
            log.warn(
                    "closing the training progress connection from {}: still open at the end",
                    c.getKey().getRemoteSocketAddress());
            c.getKey().close();
        }
    }
}
