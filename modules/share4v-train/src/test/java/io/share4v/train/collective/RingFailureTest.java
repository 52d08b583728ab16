package io.share4v.train.collective;

import static io.share4v.train.collective.RingBuffers.settings;
import static io.share4v.train.collective.RingBuffers.tensor;
import static io.share4v.train.collective.RingBuffers.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RingFailureTest {
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(2);
    /** What a busy 2-core machine may add to a detection time. */
    private static final long SLACK_MS = 5000;

    private static final Pattern NAMED_PEER = Pattern.compile("rank \\d+ \\(127\\.0\\.0\\.1:\\d+\\)");

    private final ExecutorService threads = Executors.newCachedThreadPool();

    /** What a rank's call ended with. */
    private record Outcome(CollectiveException error, long millis) {}

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aPeerThatDiesMidRingFailsTheOthersPromptlyNamingIt() throws Exception {
        int world = 4;
        int dead = 2;
        ChunkHook crash = (sending, step, chunk) -> {
            if (sending && step == 1 && chunk == 3) {
                throw new IllegalStateException("injected crash");
            }
        };
        TcpRingCollective.Settings s = settings().withIoTimeout(IO_TIMEOUT);
        try (LocalCluster cluster = LocalCluster.start(world, s, r -> r == dead ? crash : ChunkHook.NONE)) {
            List<Outcome> outcomes = cluster.run(RingFailureTest::allReduceOutcome);
            assertTrue(outcomes.get(dead).error().getMessage().contains("injected crash"));
            boolean someoneNamedTheDeadRank = false;
            for (int r = 0; r < world; r++) {
                Outcome o = outcomes.get(r);
                assertNotNull(o.error(), "rank " + r + " must fail");
                assertTrue(o.millis() < IO_TIMEOUT.toMillis() + SLACK_MS, "rank " + r + " took " + o.millis() + " ms");
                if (r != dead) {
                    String m = o.error().getMessage();
                    assertTrue(NAMED_PEER.matcher(m).find(), "rank " + r + ": " + m);
                    someoneNamedTheDeadRank |= m.contains("rank " + dead + " (127.0.0.1:");
                }
            }
            // a neighbour of the dead rank fails first, from its own link to it; the rest follow the closed links
            assertTrue(someoneNamedTheDeadRank, outcomes.toString());
        }
    }

    @Test
    void aPeerThatStopsRespondingFailsTheOthersWithinTheTimeout() throws Exception {
        int world = 3;
        int silent = 1;
        CountDownLatch othersDone = new CountDownLatch(world - 1);
        ChunkHook hang = (sending, step, chunk) -> {
            if (step >= 1) {
                othersDone.await(60, TimeUnit.SECONDS);
            }
        };
        TcpRingCollective.Settings s = settings().withIoTimeout(IO_TIMEOUT);
        try (LocalCluster cluster = LocalCluster.start(world, s, r -> r == silent ? hang : ChunkHook.NONE)) {
            List<Outcome> outcomes = cluster.run(c -> {
                try {
                    return allReduceOutcome(c);
                } finally {
                    if (c.rank() != silent) {
                        othersDone.countDown();
                    }
                }
            });
            for (int r = 0; r < world; r++) {
                if (r == silent) {
                    continue;
                }
                Outcome o = outcomes.get(r);
                assertNotNull(o.error(), "rank " + r + " must fail");
                assertTrue(o.millis() < IO_TIMEOUT.toMillis() + SLACK_MS, "rank " + r + " took " + o.millis() + " ms");
            }
            // the rank after the silent one waits for its data and gives up after the timeout, naming it
            Outcome after = outcomes.get(silent + 1);
            String m = after.error().getMessage();
            assertTrue(m.contains("rank " + silent + " (127.0.0.1:") && m.contains("io_timeout"), m);
            assertTrue(after.millis() >= IO_TIMEOUT.toMillis() - 100, "waited " + after.millis() + " ms");
        }
    }

    @Test
    void strayConnectionsAreRefusedAndTheRightPeerStillJoins() throws Exception {
        byte[] token = "the job token of this test run".getBytes(StandardCharsets.UTF_8);
        TcpRingCollective.Listener l0 = TcpRingCollective.bind("127.0.0.1");
        TcpRingCollective.Listener l1 = TcpRingCollective.bind("127.0.0.1");
        List<InetSocketAddress> peers = List.of(l0.address(), l1.address());
        byte[] otherJob = JobToken.of("another job's token, same length".getBytes(StandardCharsets.UTF_8))
                .digest();
        List<SocketChannel> strays = new ArrayList<>();
        // all waiting in rank 1's backlog before rank 0 connects
        strays.add(stray(l1.address(), hello(Handshake.MAGIC, Handshake.PROTOCOL_VERSION, 2, 0, otherJob)));
        strays.add(stray(l1.address(), hello(Handshake.MAGIC, Handshake.PROTOCOL_VERSION + 1, 2, 0, otherJob)));
        strays.add(stray(
                l1.address(),
                ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))));
        strays.add(stray(l1.address(), ByteBuffer.allocate(0)));
        TcpRingCollective.Settings s = settings();
        Future<TcpRingCollective> rank0 = threads.submit(() -> TcpRingCollective.connect(l0, 0, 2, peers, token, s));
        Future<TcpRingCollective> rank1 = threads.submit(() -> TcpRingCollective.connect(l1, 1, 2, peers, token, s));
        try (TcpRingCollective c0 = rank0.get();
                TcpRingCollective c1 = rank1.get()) {
            Partition p = Partition.whole(10, 2);
            Future<float[]> sum0 = threads.submit(() -> allReduce(c0, 1f, p));
            Future<float[]> sum1 = threads.submit(() -> allReduce(c1, 2f, p));
            float[] three = new float[10];
            Arrays.fill(three, 3f);
            assertArrayEquals(three, sum0.get());
            assertArrayEquals(three, sum1.get());
        }
        for (SocketChannel stray : strays) {
            assertEquals(-1, readWithin(stray, 10_000), "the stray connection is closed");
            stray.close();
        }
    }

    @Test
    void aRankWithAnotherJobsTokenCannotJoin() throws Exception {
        TcpRingCollective.Listener l0 = TcpRingCollective.bind("127.0.0.1");
        TcpRingCollective.Listener l1 = TcpRingCollective.bind("127.0.0.1");
        List<InetSocketAddress> peers = List.of(l0.address(), l1.address());
        TcpRingCollective.Settings s = settings().withConnectTimeout(Duration.ofSeconds(2));
        byte[] a = "token of job A, sixteen or more".getBytes(StandardCharsets.UTF_8);
        byte[] b = "token of job B, sixteen or more".getBytes(StandardCharsets.UTF_8);
        Future<TcpRingCollective> rank0 = threads.submit(() -> TcpRingCollective.connect(l0, 0, 2, peers, a, s));
        Future<TcpRingCollective> rank1 = threads.submit(() -> TcpRingCollective.connect(l1, 1, 2, peers, b, s));
        for (Future<TcpRingCollective> f : List.of(rank0, rank1)) {
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertTrue(e.getCause() instanceof CollectiveException, String.valueOf(e.getCause()));
            assertTrue(
                    e.getCause().getMessage().contains("refused"), e.getCause().getMessage());
        }
    }

    @Test
    void aMissingPeerFailsTheConnectionAtTheDeadlineNamingIt() throws Exception {
        TcpRingCollective.Listener l0 = TcpRingCollective.bind("127.0.0.1");
        try (TcpRingCollective.Listener l1 = TcpRingCollective.bind("127.0.0.1")) {
            // rank 1 is bound (its backlog takes rank 0's connection) but never joins
            List<InetSocketAddress> peers = List.of(l0.address(), l1.address());
            TcpRingCollective.Settings s = settings().withConnectTimeout(Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            CollectiveException e = assertThrows(
                    CollectiveException.class, () -> TcpRingCollective.connect(l0, 0, 2, peers, new byte[16], s));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(
                    NAMED_PEER.matcher(e.getMessage()).find() && e.getMessage().contains("rank 1"), e.getMessage());
            assertTrue(ms >= 900 && ms < 1000 + SLACK_MS, ms + " ms");
        }
    }

    private static Outcome allReduceOutcome(Collective c) {
        int size = 20_000;
        Tensor flat = tensor(new float[size]);
        long t0 = System.nanoTime();
        try {
            c.allReduce(flat, Partition.whole(size, c.world()));
            return new Outcome(null, (System.nanoTime() - t0) / 1_000_000);
        } catch (CollectiveException e) {
            return new Outcome(e, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static float[] allReduce(Collective c, float value, Partition p) {
        float[] values = new float[(int) p.size()];
        Arrays.fill(values, value);
        Tensor flat = tensor(values);
        c.allReduce(flat, p);
        return values(flat);
    }

    private static ByteBuffer hello(int magic, int version, int world, int rank, byte[] digest) {
        return ByteBuffer.allocate(Handshake.HELLO_BYTES)
                .putInt(magic)
                .putInt(version)
                .putInt(world)
                .putInt(rank)
                .put(digest)
                .flip();
    }

    private static SocketChannel stray(InetSocketAddress to, ByteBuffer send) throws IOException {
        SocketChannel c = SocketChannel.open(to);
        while (send.hasRemaining()) {
            c.write(send);
        }
        return c;
    }

    /** The next byte from {@code channel}, -1 at end of stream; fails when nothing comes within the time. */
    private static int readWithin(SocketChannel channel, int millis) throws IOException {
        channel.socket().setSoTimeout(millis);
        try (InputStream in = channel.socket().getInputStream()) {
            return in.read();
        }
    }
}
