package io.share4v.train.collective;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One TCP connection of the ring, to the next rank (written) or from the previous one (read), with reads and
 * writes that give up when the peer makes no progress for a while. A blocking {@link SocketChannel} ignores
 * {@code SO_TIMEOUT}, so the channel is non-blocking and waits in its own {@link Selector}: each link is used by
 * one thread at a time, and the wait ends with a {@link SocketTimeoutException} after {@code timeout} without a
 * byte moving, never later.
 */
final class PeerLink implements AutoCloseable {
    private final int peerRank;
    private final InetSocketAddress peerAddress;
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;

    /** Takes over {@code channel} (connected, either blocking mode) to the peer listening at {@code peerAddress}. */
    PeerLink(int peerRank, InetSocketAddress peerAddress, SocketChannel channel) throws IOException {
        this.peerRank = peerRank;
        this.peerAddress = peerAddress;
        this.channel = channel;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    int peerRank() {
        return peerRank;
    }

    /** The peer as error messages name it: its rank and the address it listens on. */
    String peer() {
        return "rank " + peerRank + " (" + peerAddress.getHostString() + ":" + peerAddress.getPort() + ")";
    }

    /** Fills every remaining byte of {@code dst}. */
    void read(ByteBuffer dst, long timeoutNanos) throws IOException {
        waitFor(SelectionKey.OP_READ);
        long deadline = System.nanoTime() + timeoutNanos;
        while (dst.hasRemaining()) {
            int n = channel.read(dst);
            deadline = progressed(n, deadline, timeoutNanos);
        }
    }

    /** Fills every remaining byte of {@code dsts}, in order. */
    void read(ByteBuffer[] dsts, long timeoutNanos) throws IOException {
        waitFor(SelectionKey.OP_READ);
        long deadline = System.nanoTime() + timeoutNanos;
        for (int first = next(dsts, 0); first < dsts.length; first = next(dsts, first)) {
            long n = channel.read(dsts, first, dsts.length - first);
            deadline = progressed(n, deadline, timeoutNanos);
        }
    }

    /** Sends every remaining byte of {@code src}. */
    void write(ByteBuffer src, long timeoutNanos) throws IOException {
        waitFor(SelectionKey.OP_WRITE);
        long deadline = System.nanoTime() + timeoutNanos;
        while (src.hasRemaining()) {
            int n = channel.write(src);
            deadline = progressed(n, deadline, timeoutNanos);
        }
    }

    /** Sends every remaining byte of {@code srcs}, in order (one gathering write per readiness). */
    void write(ByteBuffer[] srcs, long timeoutNanos) throws IOException {
        waitFor(SelectionKey.OP_WRITE);
        long deadline = System.nanoTime() + timeoutNanos;
        for (int first = next(srcs, 0); first < srcs.length; first = next(srcs, first)) {
            long n = channel.write(srcs, first, srcs.length - first);
            deadline = progressed(n, deadline, timeoutNanos);
        }
    }

    /** Closes the connection (the peer sees end-of-stream) and wakes a thread waiting on this link. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing: nothing left to report
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing left to report
        }
    }

    /**
     * After a transfer of {@code n} bytes: end-of-stream is an error, progress renews the deadline, no progress
     * waits for readiness until the deadline; returns the deadline to use next.
     */
    private long progressed(long n, long deadline, long timeoutNanos) throws IOException {
        if (n < 0) {
            throw new EOFException("the connection was closed by the peer");
        }
        if (n > 0) {
            return System.nanoTime() + timeoutNanos;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(
                    "no byte moved for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (io_timeout)");
        }
        try {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new ClosedChannelException();
        }
        return deadline;
    }

    /** What the selector waits for: the ring reads only from the previous rank and writes only to the next. */
    private void waitFor(int op) throws ClosedChannelException {
        try {
            if (key.interestOps() != op) {
                key.interestOps(op);
            }
        } catch (CancelledKeyException e) {
            throw new ClosedChannelException();
        }
    }

    private static int next(ByteBuffer[] buffers, int from) {
        while (from < buffers.length && !buffers[from].hasRemaining()) {
            from++;
        }
        return from;
    }
}
