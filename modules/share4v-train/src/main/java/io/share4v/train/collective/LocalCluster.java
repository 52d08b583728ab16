package io.share4v.train.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * N ranks of a {@link TcpRingCollective} as threads of this JVM over loopback: what Spark's barrier tasks do on a
 * cluster (bind, exchange addresses, connect with one job token), in one process, for the fast tests, the
 * benchmark and single-machine training. Each rank keeps its own thread, so a task that touches thread-confined
 * state (the rank's collective) always runs on the same thread.
 */
public final class LocalCluster implements AutoCloseable {
    /** Work one rank does with its collective. */
    @FunctionalInterface
    public interface RankTask<T> {
        T run(Collective collective) throws Exception;
    }

    private final List<TcpRingCollective> ranks;
    private final List<ExecutorService> threads;

    private LocalCluster(List<TcpRingCollective> ranks, List<ExecutorService> threads) {
        this.ranks = ranks;
        this.threads = threads;
    }

    /** Forms a ring of {@code world} ranks on 127.0.0.1. */
    public static LocalCluster start(int world, TcpRingCollective.Settings settings) throws IOException {
        return start(world, settings, rank -> ChunkHook.NONE);
    }

    static LocalCluster start(int world, TcpRingCollective.Settings settings, IntFunction<ChunkHook> hooks)
            throws IOException {
        List<ExecutorService> threads = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            int rank = r;
            threads.add(Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "rank-" + rank);
                t.setDaemon(true);
                return t;
            }));
        }
        List<TcpRingCollective.Listener> listeners = new ArrayList<>();
        List<InetSocketAddress> addresses = new ArrayList<>();
        try {
            for (int r = 0; r < world; r++) {
                TcpRingCollective.Listener l = TcpRingCollective.bind("127.0.0.1");
                listeners.add(l);
                addresses.add(l.address());
            }
        } catch (IOException e) {
            for (TcpRingCollective.Listener l : listeners) {
                l.close();
            }
            threads.forEach(ExecutorService::shutdownNow);
            throw e;
        }
        byte[] token = new byte[32];
        new SecureRandom().nextBytes(token);
        List<Future<TcpRingCollective>> connecting = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            int rank = r;
            connecting.add(threads.get(r)
                    .submit(() -> TcpRingCollective.connect(
                            listeners.get(rank), rank, world, addresses, token, settings, hooks.apply(rank))));
        }
        List<TcpRingCollective> ranks = new ArrayList<>();
        Throwable failed = null;
        for (Future<TcpRingCollective> f : connecting) {
            try {
                ranks.add(f.get());
            } catch (ExecutionException e) {
                failed = failed == null ? e.getCause() : failed;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = failed == null ? e : failed;
            }
        }
        LocalCluster cluster = new LocalCluster(ranks, threads);
        if (failed != null) {
            cluster.close();
            throw new CollectiveException("a local ring of " + world + " ranks did not form: " + failed, failed);
        }
        return cluster;
    }

    public int world() {
        return threads.size();
    }

    /** The collective of rank {@code rank} (use it from {@link #run} tasks: its calls belong on the rank's thread). */
    public Collective rank(int rank) {
        return ranks.get(rank);
    }

    TcpRingCollective ring(int rank) {
        return ranks.get(rank);
    }

    /**
     * Runs {@code task} on every rank at once, each on its own thread, and returns the results in rank order. When
     * ranks fail, throws the lowest rank's failure with the others attached as suppressed exceptions.
     */
    public <T> List<T> run(RankTask<T> task) {
        List<Future<T>> futures = new ArrayList<>();
        for (int r = 0; r < world(); r++) {
            Collective c = ranks.get(r);
            futures.add(threads.get(r).submit(() -> task.run(c)));
        }
        List<T> results = new ArrayList<>();
        RuntimeException failed = null;
        for (int r = 0; r < futures.size(); r++) {
            try {
                results.add(futures.get(r).get());
            } catch (ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                RuntimeException f = cause instanceof CollectiveException c
                        ? new CollectiveException("rank " + r + ": " + c.getMessage(), c)
                        : new IllegalStateException("rank " + r + " failed: " + cause, cause);
                if (failed == null) {
                    failed = f;
                } else {
                    failed.addSuppressed(f);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
        return results;
    }

    /** Closes every rank's collective and stops the rank threads. */
    @Override
    public void close() {
        for (TcpRingCollective c : ranks) {
            c.close();
        }
        threads.forEach(ExecutorService::shutdownNow);
    }
}
