package io.share4v.train.collective;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a rank joins the ring: it connects to the next rank and sends a hello (magic, protocol version, world size,
 * its rank, the SHA-256 of the job token), accepts from the previous rank and checks that one's hello, then
 * answers it with its own hello, which the connecting side checks in turn. Hellos are compared in constant time.
 * A connection with a bad hello (a stray client, another job, an old protocol, the wrong rank) is closed, logged
 * and ignored: the rank keeps waiting for the right peer until the deadline. Several pending connections are read
 * at once, so a silent stray cannot hold the right peer back.
 *
 * <p>No step waits on a peer that is itself waiting: connecting completes through the listener's backlog
 * whether or not the next rank has started accepting, and every rank accepts before it reads its answer.
 */
final class Handshake {
    private static final Logger log = LoggerFactory.getLogger(Handshake.class);

    /** "S4VR" (Share4V ring). */
    static final int MAGIC = 0x53345652;
    /** Bumped on any change of the wire format; peers of another version are refused. */
    static final int PROTOCOL_VERSION = 1;
    /** magic, version, world, rank (4 bytes each), token digest (32 bytes). */
    static final int HELLO_BYTES = 16 + 32;

    private static final long RETRY_PAUSE_MS = 50;

    private final int rank;
    private final int world;
    private final JobToken token;
    private final TcpRingCollective.Settings settings;

    Handshake(int rank, int world, byte[] token, TcpRingCollective.Settings settings) {
        this.rank = rank;
        this.world = world;
        this.token = JobToken.of(token);
        this.settings = settings;
    }

    /** The connection to the next rank, its hello sent (its answer is read by {@link #awaitAnswer}). */
    PeerLink connectNext(int next, InetSocketAddress address, long deadline) throws IOException {
        SocketChannel channel = connectWithRetry(next, address, deadline);
        PeerLink link = new PeerLink(next, address, channel);
        try {
            link.write(hello(rank), left(deadline));
            return link;
        } catch (IOException e) {
            link.close();
            throw e;
        }
    }

    /** The connection from the previous rank, its hello checked and answered; other connections are refused. */
    PeerLink acceptPrevious(ServerSocketChannel server, int previous, InetSocketAddress address, long deadline)
            throws IOException {
        SocketChannel chosen = null;
        int refused = 0;
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (chosen == null) {
                long left = left(deadline);
                if (left <= 0) {
                    throw new CollectiveException("rank " + rank + " had no valid connection from rank " + previous
                            + " (" + address.getHostString() + ":" + address.getPort() + ") within connect_timeout = "
                            + settings.connectTimeout().toMillis() + " ms"
                            + (refused == 0 ? "" : "; it refused " + refused + " other connection(s), see the log"));
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel candidate = server.accept();
                        if (candidate != null) {
                            candidate.configureBlocking(false);
                            candidate.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(HELLO_BYTES));
                        }
                    } else if (key.isReadable()) {
                        SocketChannel candidate = (SocketChannel) key.channel();
                        String problem = readHello(candidate, (ByteBuffer) key.attachment(), previous);
                        if (problem == null) {
                            chosen = candidate;
                            key.cancel();
                            break;
                        }
                        if (!problem.isEmpty()) {
                            refused++;
                            log.warn("rank {} refused a connection from {}: {}", rank, remote(candidate), problem);
                            key.cancel();
                            candidate.close();
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                // the chosen connection's key is cancelled but stays in the set until the next selection
                if (key.channel() != server && key.channel() != chosen) {
                    log.warn(
                            "rank {} closed a connection from {} that sent no hello before rank {} arrived",
                            rank,
                            remote((SocketChannel) key.channel()),
                            previous);
                    key.channel().close();
                }
            }
        }
        PeerLink link = new PeerLink(previous, address, chosen);
        try {
            configure(chosen);
            link.write(hello(rank), left(deadline));
            return link;
        } catch (IOException e) {
            link.close();
            throw e;
        }
    }

    /** Reads the next rank's answer to this rank's hello and checks it. */
    void awaitAnswer(PeerLink next, long deadline) throws IOException {
        ByteBuffer answer = ByteBuffer.allocate(HELLO_BYTES);
        try {
            next.read(answer, Math.max(1, left(deadline)));
        } catch (EOFException e) {
            throw new CollectiveException(next.peer() + " refused the connection from rank " + rank
                    + " (a wrong job token, world size or protocol version: see its log)");
        }
        answer.flip();
        String problem = problem(answer, next.peerRank());
        if (problem != null) {
            throw new CollectiveException("rank " + rank + " refused the answer of " + next.peer() + ": " + problem);
        }
    }

    /**
     * Reads what has arrived of a hello: null when complete and valid, the reason when invalid, "" while more is
     * needed.
     */
    private String readHello(SocketChannel channel, ByteBuffer hello, int previous) {
        int n;
        try {
            n = channel.read(hello);
        } catch (IOException e) {
            return "reading its hello failed: " + e.getMessage();
        }
        if (n < 0) {
            return "it closed the connection after " + hello.position() + " of " + HELLO_BYTES + " hello bytes";
        }
        ByteBuffer received = hello.duplicate().flip();
        String problem = problem(received, previous);
        if (problem == null && hello.hasRemaining()) {
            return "";
        }
        return problem;
    }

    /**
     * Null when {@code hello} (complete or the first part of one) is what rank {@code expectedRank} of this job
     * sends; else why not. Magic and version are judged as soon as they have arrived.
     */
    private String problem(ByteBuffer hello, int expectedRank) {
        if (hello.remaining() < 8) {
            return null;
        }
        int magic = hello.getInt(0);
        if (magic != MAGIC) {
            return String.format("not a ring hello (magic 0x%08x, expected 0x%08x)", magic, MAGIC);
        }
        int version = hello.getInt(4);
        if (version != PROTOCOL_VERSION) {
            return "protocol version " + version + ", this rank speaks " + PROTOCOL_VERSION;
        }
        if (hello.remaining() < HELLO_BYTES) {
            return null;
        }
        byte[] digest = new byte[32];
        hello.get(16, digest);
        if (!token.matches(digest)) {
            return "wrong job token";
        }
        if (hello.getInt(8) != world || hello.getInt(12) != expectedRank) {
            return "it is rank " + hello.getInt(12) + " of " + hello.getInt(8) + ", expected rank " + expectedRank
                    + " of " + world;
        }
        return null;
    }

    private ByteBuffer hello(int fromRank) {
        ByteBuffer b = ByteBuffer.allocate(HELLO_BYTES);
        b.putInt(MAGIC).putInt(PROTOCOL_VERSION).putInt(world).putInt(fromRank).put(token.digest());
        return b.flip();
    }

    private SocketChannel connectWithRetry(int next, InetSocketAddress address, long deadline) throws IOException {
        IOException last;
        do {
            SocketChannel channel = SocketChannel.open();
            try {
                configure(channel);
                int timeoutMs =
                        (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left(deadline))));
                channel.socket().connect(address, timeoutMs);
                return channel;
            } catch (ConnectException e) {
                // nothing listens yet (or the backlog is full): the peer may still be starting
                last = e;
                channel.close();
                sleep(RETRY_PAUSE_MS);
            } catch (IOException e) {
                last = e;
                channel.close();
            }
        } while (left(deadline) > 0);
        throw new CollectiveException(
                "rank " + rank + " could not connect to rank " + next + " ("
                        + address.getHostString() + ":" + address.getPort() + ") within connect_timeout = "
                        + settings.connectTimeout().toMillis() + " ms" + ": " + last.getMessage(),
                last);
    }

    /** Ring traffic is bulk in one direction: no Nagle delay on the small headers, and large buffers if asked. */
    private void configure(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (settings.socketBufferBytes() > 0) {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, settings.socketBufferBytes());
            channel.setOption(StandardSocketOptions.SO_RCVBUF, settings.socketBufferBytes());
        }
    }

    private static long left(long deadline) {
        return deadline - System.nanoTime();
    }

    private static String remote(SocketChannel channel) {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return String.valueOf(a);
        } catch (IOException e) {
            return "an unknown address";
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        }
    }
}
