package io.share4v.train.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.train.collective.JobToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ranks (threads) reporting to the driver's progress server over real sockets. */
class ProgressChannelTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path out;

    private final ExecutorService ranks = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        ranks.shutdownNow();
    }

    private RunProgress progress() throws IOException {
        return RunProgress.open(out.toUri(), new Configuration(), "socket run", Duration.ZERO, line -> {});
    }

    /** Rank {@code rank} of 2 connects, reports {@code steps} steps (rank 0: and a checkpoint), closes. */
    private Future<Boolean> rank(ProgressServer server, byte[] token, String attempt, int rank, int steps) {
        return ranks.submit(() -> {
            try (ProgressClient c =
                    ProgressClient.connect("127.0.0.1", server.port(), token, attempt, rank, 2, TIMEOUT)) {
                c.report(new ProgressEvent.Started(0, steps, steps));
                for (int s = 0; s < steps; s++) {
                    c.report(RunProgressTest.step(s, rank, 1 + rank, 0.1 * rank, 0.2, 0.5));
                }
                if (rank == 0) {
                    c.report(new ProgressEvent.CheckpointCommitted(steps));
                }
                return c.connected();
            }
        });
    }

    @Test
    void everyRanksStepsReachTheDriverAndEachStepIsOneLine() throws Exception {
        byte[] token = JobToken.random();
        try (RunProgress progress = progress()) {
            ProgressServer server = ProgressServer.start("127.0.0.1", "127.0.0.1", token, progress);
            try (server) {
                Future<Boolean> r0 = rank(server, token, "a1", 0, 50);
                Future<Boolean> r1 = rank(server, token, "a1", 1, 50);
                assertTrue(r0.get());
                assertTrue(r1.get());
            }
            assertEquals(List.of(), progress.missingSteps(0, 50));
            assertEquals(0, server.refusedConnections());
        }
        List<String> lines = Files.readAllLines(out.resolve(RunProgress.METRICS));
        assertEquals(50, lines.size());
        var last = MetricsLog.JSON.readTree(lines.get(49));
        assertEquals(49, last.get("step").asLong());
        assertEquals(2.0, last.get("step_s").asDouble());
        assertEquals(0.1, last.get("data_stall_max_s").asDouble(), 1e-12);
        assertEquals(0.05, last.get("data_stall_mean_s").asDouble(), 1e-12);
        assertEquals(2, last.get("ranks").asInt());
        assertTrue(Files.size(out.resolve(RunProgress.CURVES)) > 0);
    }

    @Test
    void strayAndWrongTokenConnectionsAreRefusedAndTheRankTrainsOn() throws Exception {
        byte[] token = JobToken.random();
        try (RunProgress progress = progress();
                ProgressServer server = ProgressServer.start("127.0.0.1", "127.0.0.1", token, progress)) {
            ProgressClient wrong =
                    ProgressClient.connect("127.0.0.1", server.port(), JobToken.random(), "a1", 0, 2, TIMEOUT);
            assertFalse(wrong.connected(), "a wrong token is refused");
            wrong.report(RunProgressTest.step(0, 0, 1, 0, 0, 1)); // dropped, no exception
            wrong.close();
            assertEquals("", stray(server, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "no answer to a stray");
            String oldVersion = ProgressWire.encode(new ProgressWire.Hello(
                    ProgressWire.PROTOCOL,
                    ProgressWire.VERSION + 1,
                    java.util.Base64.getEncoder()
                            .encodeToString(JobToken.of(token).digest()),
                    "a1",
                    0,
                    2));
            assertEquals("", stray(server, oldVersion + "\n"), "another protocol version is refused");
            assertEquals(3, server.refusedConnections());

            Future<Boolean> r0 = rank(server, token, "a1", 0, 3);
            Future<Boolean> r1 = rank(server, token, "a1", 1, 3);
            assertTrue(r0.get() && r1.get(), "the right ranks still join");
        }
        assertEquals(3, Files.readAllLines(out.resolve(RunProgress.METRICS)).size());
    }

    @Test
    void aRankWhoseDriverIsGoneOrUnreachableTrainsOn() throws Exception {
        try (ServerSocket fakeDriver = new ServerSocket(0)) {
            Future<?> driver = ranks.submit(() -> {
                try (Socket s = fakeDriver.accept()) {
                    InputStream in = s.getInputStream();
                    ProgressWire.readLine(in, ProgressWire.MAX_HANDSHAKE_LINE);
                    OutputStream o = s.getOutputStream();
                    o.write((ProgressWire.ACCEPTED + "\n").getBytes(StandardCharsets.UTF_8));
                    o.flush();
                    s.setSoLinger(true, 0); // the driver dies: a reset, not an orderly close
                }
                return null;
            });
            ProgressClient client = ProgressClient.connect(
                    "127.0.0.1", fakeDriver.getLocalPort(), JobToken.random(), "a", 1, 2, TIMEOUT);
            assertTrue(client.connected());
            driver.get();
            long t0 = System.nanoTime();
            for (int s = 0; s < 200_000 && client.connected(); s++) {
                client.report(RunProgressTest.step(s, 1, 1, 0, 0, 1));
                if (s % 1000 == 999) {
                    Thread.sleep(1);
                }
            }
            assertFalse(client.connected(), "the lost connection was noticed");
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "reporting never waited on the driver");
            client.report(RunProgressTest.step(0, 1, 1, 0, 0, 1)); // after the loss: dropped, no exception
            client.close();
        }
        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        ProgressClient none = ProgressClient.connect("127.0.0.1", unused, JobToken.random(), "a", 0, 2, TIMEOUT);
        assertFalse(none.connected(), "nothing listens");
        none.report(new ProgressEvent.Started(0, 1, 1));
        none.close();
        assertTrue((System.nanoTime() - t0) / 1e9 < 5);
    }

    /** Sends {@code bytes} and returns what the server answered before closing (within the timeout). */
    private static String stray(ProgressServer server, String bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
