package io.share4v.train.collective;

import static io.share4v.common.config.ConfigChecks.inRange;
import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.tensor.DType;
import io.share4v.tensor.HostStorage;
import io.share4v.tensor.Tensor;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Collective} of host memory over TCP: a ring, each rank holding one connection to the next rank and
 * one from the previous, running the bandwidth-optimal ring algorithm. Each rank sends and receives
 * {@code (world - 1) / world} of the buffer per half, whatever the world size.
 *
 * <h2>Steps</h2>
 *
 * Shards are numbered as ranks (see {@link Partition}). An all-reduce is {@code 2 (world - 1)} steps; at step s rank
 * r sends shard {@code (r - s - 1) mod world} to rank r+1 and receives shard {@code (r - s - 2) mod world} from rank
 * r-1: the first {@code world - 1} steps (reduce-scatter) add the received shard into the buffer, the next
 * {@code world - 1} (all-gather) copy it in. What a rank sends at step s is what it received at step s-1, and at
 * step {@code world - 1} it sends its own shard, complete since the step before. {@link #reduceScatter} runs the
 * first half, {@link #allGather} the second, {@link #allReduce} both in one pass.
 *
 * <h2>Summation order (deterministic)</h2>
 *
 * Element e of shard k is summed by a fixed chain of ranks: rank k+1 sends its value x[k+1] at step 0, each next
 * rank adds its own value to what it received, and rank k adds last, so every rank ends with
 * {@code (...((x[k+1] + x[k+2]) + x[k+3]) + ...) + x[k]} (indices mod world, float additions left to right). The
 * order depends only on the world size and the partition: chunking, pipelining and the speed of each rank change
 * when an addition happens, never which additions happen in which order, so equal inputs give bit-identical
 * results.
 *
 * <h2>Chunks and pipelining</h2>
 *
 * Each step moves its shard in chunks of {@link Settings#chunkBytes} (both ends derive the chunk list from the
 * partition, so nothing but payload and one small header per call travels). Chunk i of step s can leave as soon as
 * chunk i of step s-1 has been received and reduced, so data streams around the ring without waiting for whole
 * steps. Sending runs on a sender thread per collective while the calling thread receives and reduces: the two
 * are different work on different cores (a socket write and a float loop), and blocking-style code on each thread
 * is simpler to follow than one event loop juggling both directions. Reduce-scatter receives into one pooled
 * staging buffer and adds into the tensor; all-gather reads straight into the tensor, and sends always write
 * straight from it (gathering writes of direct-memory windows), so after the first call nothing but small objects
 * is allocated.
 *
 * <h2>Failures</h2>
 *
 * A peer that closes its connection, or moves no byte for {@link Settings#ioTimeout}, fails the call with a
 * {@link CollectiveException} naming it and the step; the collective then closes both connections, so its
 * neighbours fail at once instead of waiting for their own timeouts. The I/O timeout bounds how long one rank may
 * trail the others inside a call (a slow backward pass on one rank delays the others' first reads), so it must
 * exceed the worst skew between ranks.
 *
 * <p>Use: every rank calls {@link #bind}, the ranks exchange the addresses (one Spark {@code allGather}), then
 * every rank calls {@link #connect} with the same list and job token.
 */
public final class TcpRingCollective implements Collective {
    private static final Logger log = LoggerFactory.getLogger(TcpRingCollective.class);

    /** Marks a call header (catches a stream that has lost its place). */
    private static final int CALL_MAGIC = 0x43414c4c;

    private static final int CALL_HEADER_BYTES = 40;
    private static final int BARRIER = 0;
    private static final int RING = 1;

    /**
     * Connection and transfer settings.
     *
     * @param connectTimeout how long {@link #connect} keeps trying to form the ring (peers may still be starting)
     * @param ioTimeout how long a call waits for a peer that moves no byte before failing; also bounds how far one
     *     rank may trail the others inside a call
     * @param chunkBytes the unit of pipelining, a multiple of 4 (whole floats)
     * @param socketBufferBytes the sockets' send and receive buffers; 0 leaves them to the operating system, which
     *     on Linux grows them per connection up to {@code net.ipv4.tcp_wmem}/{@code tcp_rmem}'s maximum (4 MiB and
     *     32 MiB by default), while an explicit size turns that autotuning off and is capped at
     *     {@code net.core.wmem_max}/{@code rmem_max} (often only 208 KiB)
     */
    public record Settings(Duration connectTimeout, Duration ioTimeout, int chunkBytes, int socketBufferBytes) {
        public Settings {
            require(
                    connectTimeout != null && connectTimeout.toMillis() >= 1,
                    "connect_timeout",
                    connectTimeout,
                    ">= 1 ms");
            require(ioTimeout != null && ioTimeout.toMillis() >= 1, "io_timeout", ioTimeout, ">= 1 ms");
            inRange("chunk_bytes", chunkBytes, 64, 1 << 28);
            require(chunkBytes % Float.BYTES == 0, "chunk_bytes", chunkBytes, "a multiple of 4 (whole floats)");
            require(
                    socketBufferBytes == 0 || (socketBufferBytes >= 4096 && socketBufferBytes <= 1 << 30),
                    "socket_buffer_bytes",
                    socketBufferBytes,
                    "0 (the operating system's) or 4096..1073741824");
        }

        /** 2 minutes to connect, 5 minutes of I/O silence, 1 MiB chunks, autotuned (large) socket buffers. */
        public static Settings defaults() {
            return new Settings(Duration.ofMinutes(2), Duration.ofMinutes(5), 1 << 20, 0);
        }

        public Settings withIoTimeout(Duration timeout) {
            return new Settings(connectTimeout, timeout, chunkBytes, socketBufferBytes);
        }

        public Settings withConnectTimeout(Duration timeout) {
            return new Settings(timeout, ioTimeout, chunkBytes, socketBufferBytes);
        }

        public Settings withChunkBytes(int bytes) {
            return new Settings(connectTimeout, ioTimeout, bytes, socketBufferBytes);
        }

        public Settings withSocketBufferBytes(int bytes) {
            return new Settings(connectTimeout, ioTimeout, chunkBytes, bytes);
        }
    }

    /** A bound, listening socket whose address the other ranks connect to; consumed by {@link #connect}. */
    public static final class Listener implements AutoCloseable {
        private final ServerSocketChannel server;
        private final InetSocketAddress address;

        private Listener(ServerSocketChannel server, InetSocketAddress address) {
            this.server = server;
            this.address = address;
        }

        /** Where the previous rank connects: the host given to {@link #bind} and the port chosen. */
        public InetSocketAddress address() {
            return address;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private final int rank;
    private final int world;
    private final long ioTimeoutNanos;
    private final int chunkBytes;
    private final PeerLink next;
    private final PeerLink previous;
    private final ChunkHook hook;
    private final BufferPool buffers = new BufferPool();
    private final Map<Partition, ChunkPlan> plans = new HashMap<>();
    private final BlockingQueue<Call> sends = new ArrayBlockingQueue<>(1);
    private final AtomicReference<CollectiveException> failure = new AtomicReference<>();
    private final Thread sender;
    private volatile boolean closed;
    /** Calls made so far; checked against the previous rank's at every call. */
    private long sequence;
    /** Written by the sender thread only. */
    private volatile long bytesSent;

    private TcpRingCollective(
            int rank, int world, Settings settings, PeerLink next, PeerLink previous, ChunkHook hook) {
        this.rank = rank;
        this.world = world;
        this.ioTimeoutNanos = settings.ioTimeout().toNanos();
        this.chunkBytes = settings.chunkBytes();
        this.next = next;
        this.previous = previous;
        this.hook = hook;
        if (world > 1) {
            sender = new Thread(this::sendLoop, "ring-sender-" + rank);
            sender.setDaemon(true);
            sender.start();
        } else {
            sender = null;
        }
    }

    /**
     * Binds a listening socket on {@code host} (an address of this machine the other ranks can reach; port chosen
     * by the system). Every rank binds before the addresses are exchanged, so no rank connects to a port nobody
     * listens on.
     */
    public static Listener bind(String host) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(host, 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            return new Listener(server, new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Forms the ring: connects to rank {@code rank + 1}, accepts rank {@code rank - 1} on {@code listener} (closed
     * afterwards), both authenticated by {@code token}. Retries until {@link Settings#connectTimeout}.
     *
     * @param peers every rank's {@link Listener#address}, in rank order (the same list on every rank)
     * @param token a random secret of this job, the same on every rank (at least 16 bytes)
     * @throws CollectiveException when the ring does not form in time
     */
    public static TcpRingCollective connect(
            Listener listener, int rank, int world, List<InetSocketAddress> peers, byte[] token, Settings settings)
            throws IOException {
        return connect(listener, rank, world, peers, token, settings, ChunkHook.NONE);
    }

    static TcpRingCollective connect(
            Listener listener,
            int rank,
            int world,
            List<InetSocketAddress> peers,
            byte[] token,
            Settings settings,
            ChunkHook hook)
            throws IOException {
        try (listener) {
            inRange("world", world, 1, 1 << 16);
            inRange("rank", rank, 0, world - 1);
            require(peers.size() == world, "peers", peers.size() + " addresses", world + " (one per rank)");
            require(token.length >= 16, "token", token.length + " bytes", ">= 16 random bytes");
            if (world == 1) {
                return new TcpRingCollective(rank, world, settings, null, null, hook);
            }
            long start = System.nanoTime();
            long deadline = start + settings.connectTimeout().toNanos();
            int nextRank = (rank + 1) % world;
            int previousRank = (rank + world - 1) % world;
            Handshake handshake = new Handshake(rank, world, token, settings);
            PeerLink next = handshake.connectNext(nextRank, peers.get(nextRank), deadline);
            PeerLink previous = null;
            try {
                previous = handshake.acceptPrevious(listener.server, previousRank, peers.get(previousRank), deadline);
                handshake.awaitAnswer(next, deadline);
            } catch (IOException | RuntimeException e) {
                next.close();
                if (previous != null) {
                    previous.close();
                }
                throw e;
            }
            log.info(
                    "rank {} of {}: ring formed in {} ms (next {}, previous {})",
                    rank,
                    world,
                    (System.nanoTime() - start) / 1_000_000,
                    next.peer(),
                    previous.peer());
            return new TcpRingCollective(rank, world, settings, next, previous, hook);
        }
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int world() {
        return world;
    }

    @Override
    public void reduceScatter(Tensor flat, Partition partition) {
        ring("reduceScatter", flat, partition, 0, world - 1);
    }

    @Override
    public void allGather(Tensor flat, Partition partition) {
        ring("allGather", flat, partition, world - 1, 2 * (world - 1));
    }

    @Override
    public void allReduce(Tensor flat, Partition partition) {
        ring("allReduce", flat, partition, 0, 2 * (world - 1));
    }

    @Override
    public void barrier() {
        requireUsable();
        if (world == 1) {
            return;
        }
        long call = ++sequence;
        ByteBuffer out = buffers.take(CALL_HEADER_BYTES);
        ByteBuffer in = buffers.take(CALL_HEADER_BYTES);
        int lap = 0;
        boolean receiving = false;
        try {
            header(out, BARRIER, 0, 0, call, null);
            // after lap l this rank has heard, through l + 1 hops, that ranks r-1 .. r-1-l have arrived
            for (; lap < world - 1; lap++) {
                receiving = false;
                next.write(out.rewind(), ioTimeoutNanos);
                receiving = true;
                previous.read(in.clear().limit(CALL_HEADER_BYTES), ioTimeoutNanos);
                checkHeader(in.flip(), out, "barrier");
            }
        } catch (IOException | RuntimeException e) {
            fail(failure(e, receiving, "barrier call " + call + ", lap " + (lap + 1) + " of " + (world - 1)));
        } finally {
            buffers.give(out);
            buffers.give(in);
        }
        throwIfFailed();
    }

    @Override
    public long bytesSent() {
        return bytesSent;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (world > 1) {
            next.close();
            previous.close();
            sender.interrupt();
            try {
                sender.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The pool of this collective's direct buffers (tests check it stops allocating). */
    BufferPool buffers() {
        return buffers;
    }

    /** One call in flight: what the sender sends and how far the receiver has come. */
    private static final class Call {
        final String name;
        final long sequence;
        final int firstStep;
        final int endStep;
        final Partition partition;
        final ChunkPlan plan;
        final HostStorage storage;
        final long offset;
        final Thread caller;
        /** Chunks received (and reduced) so far; written by the calling thread only. */
        volatile long received;
        /** Set by the sender when it is done with the tensor, normally or not. */
        volatile boolean sent;

        Call(String name, long sequence, int firstStep, int endStep, Partition partition, ChunkPlan plan, Tensor flat) {
            this.name = name;
            this.sequence = sequence;
            this.firstStep = firstStep;
            this.endStep = endStep;
            this.partition = partition;
            this.plan = plan;
            this.storage = (HostStorage) flat.storage();
            this.offset = flat.offset();
            this.caller = Thread.currentThread();
        }
    }

    /** Runs ring steps {@code [firstStep, endStep)} on {@code flat}: receiving here, sending on the sender thread. */
    private void ring(String name, Tensor flat, Partition partition, int firstStep, int endStep) {
        requireUsable();
        requireBuffer(name, flat, partition);
        if (world == 1) {
            return;
        }
        ChunkPlan plan = plans.computeIfAbsent(partition, p -> new ChunkPlan(p, chunkBytes / Float.BYTES));
        Call call = new Call(name, ++sequence, firstStep, endStep, partition, plan, flat);
        sends.add(call);
        ByteBuffer expected = buffers.take(CALL_HEADER_BYTES);
        ByteBuffer header = buffers.take(CALL_HEADER_BYTES);
        ByteBuffer staging = buffers.take(chunkBytes);
        int step = firstStep;
        int chunk = -1;
        try {
            header(expected, RING, firstStep, endStep, call.sequence, partition);
            previous.read(header, ioTimeoutNanos);
            checkHeader(header.flip(), expected, name);
            for (; step < endStep; step++) {
                int shard = Math.floorMod(rank - step - 2, world);
                boolean reduce = step < world - 1;
                for (chunk = 0; chunk < plan.chunks(shard); chunk++) {
                    hook.beforeChunk(false, step, chunk);
                    ByteBuffer[] windows = plan.windows(call.storage, call.offset, shard, chunk);
                    if (reduce) {
                        previous.read(staging.clear().limit(plan.elements(shard, chunk) * Float.BYTES), ioTimeoutNanos);
                        add(windows, staging.flip());
                    } else {
                        previous.read(windows, ioTimeoutNanos);
                    }
                    call.received = call.received + 1;
                    LockSupport.unpark(sender);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            fail(failure(e, true, where(call, true, step, chunk)));
        } finally {
            // the tensor is the caller's again only once the sender is done reading it
            while (!call.sent) {
                LockSupport.park(this);
            }
            buffers.give(expected);
            buffers.give(header);
            buffers.give(staging);
        }
        throwIfFailed();
    }

    private void sendLoop() {
        while (!closed) {
            Call call;
            try {
                call = sends.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                send(call);
            } finally {
                call.sent = true;
                LockSupport.unpark(call.caller);
            }
        }
    }

    private void send(Call call) {
        ByteBuffer header = buffers.take(CALL_HEADER_BYTES);
        int step = call.firstStep;
        int chunk = -1;
        try {
            header(header, RING, call.firstStep, call.endStep, call.sequence, call.partition);
            next.write(header, ioTimeoutNanos);
            long receivedBeforeLastStep = 0;
            for (; step < call.endStep; step++) {
                int shard = Math.floorMod(rank - step - 1, world);
                int chunks = call.plan.chunks(shard);
                for (chunk = 0; chunk < chunks; chunk++) {
                    if (step > call.firstStep) {
                        // this chunk is the one received as chunk `chunk` of the step before
                        awaitReceived(call, receivedBeforeLastStep + chunk + 1);
                    }
                    hook.beforeChunk(true, step, chunk);
                    next.write(call.plan.windows(call.storage, call.offset, shard, chunk), ioTimeoutNanos);
                    bytesSent += (long) call.plan.elements(shard, chunk) * Float.BYTES;
                }
                if (step > call.firstStep) {
                    receivedBeforeLastStep += chunks;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            fail(failure(e, false, where(call, false, step, chunk)));
        } finally {
            buffers.give(header);
        }
    }

    private void awaitReceived(Call call, long chunks) throws InterruptedException {
        while (call.received < chunks) {
            if (failure.get() != null) {
                throw new InterruptedException("another thread of this rank failed");
            }
            LockSupport.park(this);
        }
    }

    /** {@code into += from}, element by element: the received partial sum plus this rank's value. */
    private static void add(ByteBuffer[] into, ByteBuffer from) {
        FloatBuffer received = from.asFloatBuffer();
        int k = 0;
        for (ByteBuffer window : into) {
            FloatBuffer own = window.asFloatBuffer();
            int n = own.remaining();
            for (int j = 0; j < n; j++) {
                own.put(j, received.get(k + j) + own.get(j));
            }
            k += n;
        }
    }

    /** The header that opens every call: its kind, steps, sequence number and partition, checked on receipt. */
    private static void header(ByteBuffer b, int kind, int firstStep, int endStep, long sequence, Partition p) {
        b.clear();
        b.putInt(CALL_MAGIC).putInt(kind).putInt(firstStep).putInt(endStep).putLong(sequence);
        b.putLong(p == null ? 0 : p.size()).putInt(p == null ? 0 : p.hashCode()).putInt(p == null ? 0 : p.world());
        b.flip();
    }

    private void checkHeader(ByteBuffer received, ByteBuffer expected, String name) {
        if (!received.equals(expected.duplicate().rewind())) {
            throw new CollectiveException("rank " + rank + " is in call " + sequence + " (" + name + "), but "
                    + previous.peer() + " is in " + describe(received)
                    + ": the ranks called different operations or partitions");
        }
    }

    private static String describe(ByteBuffer h) {
        if (h.getInt(0) != CALL_MAGIC) {
            return "no call (the stream lost its place)";
        }
        String kind = h.getInt(4) == BARRIER
                ? "barrier"
                : operation(h.getInt(8), h.getInt(12), h.getInt(36)) + " of a partition of " + h.getLong(24)
                        + " elements over " + h.getInt(36) + " ranks";
        return "call " + h.getLong(16) + " (" + kind + ")";
    }

    /** The operation that runs ring steps {@code [firstStep, endStep)} in a world of {@code world} (2 or more). */
    private static String operation(int firstStep, int endStep, int world) {
        if (firstStep == 0 && endStep == world - 1) {
            return "reduceScatter";
        }
        if (firstStep == world - 1 && endStep == 2 * (world - 1)) {
            return "allGather";
        }
        return firstStep == 0 && endStep == 2 * (world - 1) ? "allReduce" : "ring steps " + firstStep + ".." + endStep;
    }

    /** Where a call failed, for the message: the call, the ring step and the chunk (-1: the call header). */
    private String where(Call call, boolean receiving, int step, int chunk) {
        String what = call.name + " call " + call.sequence;
        if (chunk < 0) {
            return what + " (its header)";
        }
        int shard = Math.floorMod(rank - step - (receiving ? 2 : 1), world);
        return what + ", step " + (step - call.firstStep + 1) + " of " + (call.endStep - call.firstStep) + ", chunk "
                + (chunk + 1) + " of " + call.plan.chunks(shard);
    }

    /** The exception for a failure of this rank while receiving from the previous rank or sending to the next. */
    private CollectiveException failure(Throwable e, boolean receiving, String where) {
        if (e instanceof CollectiveException c) {
            return c;
        }
        PeerLink peer = receiving ? previous : next;
        String doing = (receiving ? " while receiving " : " while sending ") + where;
        String message;
        if (e instanceof SocketTimeoutException) {
            message = peer.peer() + " moved no data for " + ioTimeoutNanos / 1_000_000 + " ms (io_timeout) "
                    + doing.trim() + " on rank " + rank + ": it died, hangs or is far behind";
        } else if (e instanceof EOFException) {
            message = peer.peer() + " closed the connection" + doing + " on rank " + rank
                    + ": it failed or stopped (see its log)";
        } else if (e instanceof IOException && !(e instanceof ClosedChannelException)) {
            message = "the connection with " + peer.peer() + " failed" + doing + " on rank " + rank + ": " + e;
        } else {
            message = "rank " + rank + " failed" + doing + ": " + e;
        }
        return new CollectiveException(message, e);
    }

    /** Records the first failure and closes both connections, which wakes the other thread and fails the peers. */
    private void fail(CollectiveException e) {
        if (failure.compareAndSet(null, e)) {
            if (!closed) {
                log.error(e.getMessage());
            }
            next.close();
            previous.close();
        }
        LockSupport.unpark(sender);
    }

    private void throwIfFailed() {
        CollectiveException f = failure.get();
        if (f != null) {
            throw new CollectiveException(f.getMessage(), f);
        }
    }

    private void requireUsable() {
        CollectiveException f = failure.get();
        if (f != null) {
            throw new CollectiveException("rank " + rank + "'s collective failed earlier: " + f.getMessage(), f);
        }
        if (closed) {
            throw new CollectiveException("rank " + rank + "'s collective is closed");
        }
    }

    private void requireBuffer(String name, Tensor flat, Partition partition) {
        if (partition.world() != world) {
            throw new IllegalArgumentException(name + " with " + partition + " on a ring of " + world + " ranks");
        }
        if (flat.dtype() != DType.FLOAT
                || flat.length() != partition.size()
                || !(flat.storage() instanceof HostStorage)) {
            throw new IllegalArgumentException(
                    name + " of " + flat + " in " + flat.storage().backend()
                            + " memory: expected a host FLOAT buffer of " + partition.size() + " elements");
        }
    }
}
