package io.share4v.train.collective;

import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.JavaBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ring all-reduce bandwidth on loopback ({@link LocalCluster}: every rank a thread of this JVM) next to the memory
 * copy bandwidth of the same machine, measured in the same run. Prints one JSON line per measurement:
 *
 * <ul>
 *   <li>{@code {"bench":"memcpy", ...}}: one {@code ByteBuffer.put} between two direct buffers of the size,
 *       {@code gbps} = bytes / time (each byte is read once and written once);
 *   <li>{@code {"bench":"ring_allreduce", ...}}: {@code allReduce} of a FLOAT buffer of the size, every element
 *       trainable; {@code algbw} = bytes / time, {@code busbw} = algbw × 2(W-1)/W (the bytes each link carries, so
 *       comparable across world sizes), and busbw over the memcpy rate of the same size;
 *   <li>{@code {"bench":"tcp_streams", ...}}: W loopback TCP streams at once, each moving what one all-reduce puts
 *       on a ring link, chunk by chunk with the same socket settings: the ring's links without the ring, so the
 *       ceiling of busbw on this machine; the ring record repeats it as {@code tcp_stream_gbps}.
 * </ul>
 *
 * A rank's time starts when it leaves a ring barrier and ends when its call returns; a repetition takes the
 * slowest rank. The first call is checked for exact sums.
 *
 * <p>Usage: {@code RingBench [sizes=1,4,16,64,256] [worlds=2,4] [reps=5] [warmup=2] [chunk=BYTES]
 * [socket_buffer=BYTES]} (sizes in MiB; chunk and socket buffer default to {@link TcpRingCollective.Settings#defaults}).
 */
public final class RingBench {
    private static final long MIB = 1 << 20;

    private final PrintStream out;
    private final int reps;
    private final int warmup;
    private final TcpRingCollective.Settings settings;

    private RingBench(PrintStream out, int reps, int warmup, TcpRingCollective.Settings settings) {
        this.out = out;
        this.reps = reps;
        this.warmup = warmup;
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("argument '" + a + "' is not key=value");
            }
            opts.put(a.substring(0, eq), a.substring(eq + 1));
        }
        TcpRingCollective.Settings d = TcpRingCollective.Settings.defaults();
        TcpRingCollective.Settings settings = d.withChunkBytes(
                        Integer.parseInt(opts.getOrDefault("chunk", String.valueOf(d.chunkBytes()))))
                .withSocketBufferBytes(
                        Integer.parseInt(opts.getOrDefault("socket_buffer", String.valueOf(d.socketBufferBytes()))));
        RingBench bench = new RingBench(
                System.out,
                Integer.parseInt(opts.getOrDefault("reps", "5")),
                Integer.parseInt(opts.getOrDefault("warmup", "2")),
                settings);
        int[] sizes = ints(opts.getOrDefault("sizes", "1,4,16,64,256"));
        int[] worlds = ints(opts.getOrDefault("worlds", "2,4"));
        Map<Integer, Double> memcpy = new LinkedHashMap<>();
        for (int mib : sizes) {
            memcpy.put(mib, bench.memcpy(mib * MIB));
        }
        for (int world : worlds) {
            try (LocalCluster cluster = LocalCluster.start(world, settings);
                    LoopbackLinks links = new LoopbackLinks(world, settings)) {
                for (int mib : sizes) {
                    double tcp = bench.tcpStreams(links, mib * MIB);
                    bench.allReduce(cluster, mib * MIB, memcpy.get(mib), tcp);
                }
            }
        }
    }

    /**
     * The best per-stream rate, in GB/s, of the {@code world} loopback TCP streams of {@code links} running at once,
     * each carrying what one all-reduce of {@code bytes} puts on a ring link: the ring's links without the ring, its
     * ceiling on this machine. Prints its line.
     */
    private double tcpStreams(LoopbackLinks links, long bytes) throws Exception {
        int world = links.size();
        long perLink = bytes * 2 * (world - 1) / world;
        long[] nanos = new long[reps];
        for (int i = -warmup; i < reps; i++) {
            long t = links.stream(perLink);
            if (i >= 0) {
                nanos[i] = t;
            }
        }
        Arrays.sort(nanos);
        double gbps = perLink / (double) nanos[0];
        out.println(new JsonLine()
                .put("bench", "tcp_streams")
                .put("world", world)
                .put("bytes_per_stream", perLink)
                .put("mib", bytes / MIB)
                .put("chunk_bytes", settings.chunkBytes())
                .put("socket_buffer_bytes", settings.socketBufferBytes())
                .put("reps", reps)
                .put("ms_best", nanos[0] / 1e6)
                .put("gbps_per_stream", gbps));
        return gbps;
    }

    /**
     * {@code world} loopback TCP connections with the ring's socket settings and a writer and a reader thread per
     * connection, kept for every size as the ring keeps its connections (so both are measured warm).
     */
    private static final class LoopbackLinks implements AutoCloseable {
        private final List<SocketChannel[]> links = new ArrayList<>();
        private final ExecutorService threads;
        private final ByteBuffer[] chunks;

        LoopbackLinks(int world, TcpRingCollective.Settings settings) throws IOException {
            threads = Executors.newFixedThreadPool(2 * world);
            chunks = new ByteBuffer[2 * world];
            for (int r = 0; r < world; r++) {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress("127.0.0.1", 0));
                    SocketChannel out = SocketChannel.open(server.getLocalAddress());
                    SocketChannel in = server.accept();
                    links.add(new SocketChannel[] {out, in});
                    for (SocketChannel c : List.of(out, in)) {
                        c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        if (settings.socketBufferBytes() > 0) {
                            c.setOption(StandardSocketOptions.SO_SNDBUF, settings.socketBufferBytes());
                            c.setOption(StandardSocketOptions.SO_RCVBUF, settings.socketBufferBytes());
                        }
                    }
                }
                chunks[2 * r] = ByteBuffer.allocateDirect(settings.chunkBytes());
                chunks[2 * r + 1] = ByteBuffer.allocateDirect(settings.chunkBytes());
            }
        }

        int size() {
            return links.size();
        }

        /** Moves {@code bytes} through every connection at once; returns the nanoseconds until the last is done. */
        long stream(long bytes) throws Exception {
            List<Future<?>> running = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int r = 0; r < links.size(); r++) {
                SocketChannel[] link = links.get(r);
                ByteBuffer writeChunk = chunks[2 * r];
                ByteBuffer readChunk = chunks[2 * r + 1];
                running.add(threads.submit(() -> transfer(link[0], writeChunk, bytes, true)));
                running.add(threads.submit(() -> transfer(link[1], readChunk, bytes, false)));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return System.nanoTime() - t0;
        }

        private static Void transfer(SocketChannel channel, ByteBuffer chunk, long bytes, boolean write)
                throws IOException {
            for (long done = 0; done < bytes; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), bytes - done));
                done += write ? channel.write(chunk) : channel.read(chunk);
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            threads.shutdownNow();
            for (SocketChannel[] link : links) {
                link[0].close();
                link[1].close();
            }
        }
    }

    /** The best copy rate of {@code bytes} between two direct buffers, in GB/s; prints its line. */
    private double memcpy(long bytes) {
        ByteBuffer from = ByteBuffer.allocateDirect(Math.toIntExact(bytes));
        ByteBuffer to = ByteBuffer.allocateDirect(Math.toIntExact(bytes));
        long[] nanos = new long[reps];
        for (int i = -warmup; i < reps; i++) {
            long t0 = System.nanoTime();
            to.clear().put(from.clear());
            long t = System.nanoTime() - t0;
            if (i >= 0) {
                nanos[i] = t;
            }
        }
        Arrays.sort(nanos);
        double gbps = bytes / (double) nanos[0];
        out.println(new JsonLine()
                .put("bench", "memcpy")
                .put("bytes", bytes)
                .put("mib", bytes / MIB)
                .put("reps", reps)
                .put("ms_best", nanos[0] / 1e6)
                .put("ms_median", nanos[reps / 2] / 1e6)
                .put("gbps", gbps));
        return gbps;
    }

    private void allReduce(LocalCluster cluster, long bytes, double memcpyGbps, double tcpGbps) {
        int world = cluster.world();
        long n = bytes / Float.BYTES;
        Partition partition = Partition.whole(n, world);
        JavaBackend backend = new JavaBackend();
        List<long[]> perRank = cluster.run(c -> {
            Tensor flat = backend.allocate(DType.FLOAT, n);
            FloatBuffer f = flat.floats();
            for (int i = 0; i < n; i++) {
                f.put(i, (i % 1024) + c.rank());
            }
            c.allReduce(flat, partition);
            float offset = world * (world - 1) / 2f;
            for (int i = 0; i < n; i++) {
                if (f.get(i) != world * (i % 1024) + offset) {
                    throw new IllegalStateException("rank " + c.rank() + ": element " + i + " = " + f.get(i)
                            + ", expected " + (world * (i % 1024) + offset));
                }
            }
            long[] nanos = new long[reps];
            for (int i = -warmup; i < reps; i++) {
                c.barrier();
                long t0 = System.nanoTime();
                c.allReduce(flat, partition);
                long t = System.nanoTime() - t0;
                if (i >= 0) {
                    nanos[i] = t;
                }
            }
            return nanos;
        });
        long[] slowest = new long[reps];
        for (long[] rank : perRank) {
            for (int i = 0; i < reps; i++) {
                slowest[i] = Math.max(slowest[i], rank[i]);
            }
        }
        Arrays.sort(slowest);
        double busFactor = 2.0 * (world - 1) / world;
        double algbwBest = bytes / (double) slowest[0];
        double algbwMedian = bytes / (double) slowest[reps / 2];
        out.println(new JsonLine()
                .put("bench", "ring_allreduce")
                .put("world", world)
                .put("bytes", bytes)
                .put("mib", bytes / MIB)
                .put("chunk_bytes", settings.chunkBytes())
                .put("socket_buffer_bytes", settings.socketBufferBytes())
                .put("reps", reps)
                .put("exact", true)
                .put("ms_best", slowest[0] / 1e6)
                .put("ms_median", slowest[reps / 2] / 1e6)
                .put("algbw_gbps_best", algbwBest)
                .put("busbw_gbps_best", algbwBest * busFactor)
                .put("busbw_gbps_median", algbwMedian * busFactor)
                .put("memcpy_gbps", memcpyGbps)
                .put("busbw_over_memcpy", algbwBest * busFactor / memcpyGbps)
                .put("tcp_stream_gbps", tcpGbps)
                .put("busbw_over_tcp_stream", algbwBest * busFactor / tcpGbps));
        System.gc(); // frees the ranks' buffers before the next size allocates
    }

    /** One JSON object, keys in insertion order; doubles with 4 significant digits. */
    private static final class JsonLine {
        private final StringBuilder b = new StringBuilder("{");

        JsonLine put(String key, Object value) {
            b.append(b.length() == 1 ? "" : ",").append('"').append(key).append("\":");
            if (value instanceof String text) {
                b.append('"').append(text).append('"');
            } else if (value instanceof Double d) {
                b.append(String.format(Locale.ROOT, "%.4g", d));
            } else {
                b.append(value);
            }
            return this;
        }

        @Override
        public String toString() {
            return b + "}";
        }
    }

    private static int[] ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
