package io.share4v.train.data;

import static io.share4v.common.config.ConfigChecks.require;

import io.share4v.data.shard.ShardRow;
import io.share4v.model.llava.Batch;
import io.share4v.train.plan.RowSchedule;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One rank's micro-batches from the shards, prepared ahead of the model. A reader thread walks the steps in order:
 * it reads each micro-batch's rows ({@link ShardDataset} keeps its files open and reads forward) and hands every row
 * to a small pool that decodes and preprocesses images ({@link Collator#prepare}); each micro-batch is padded once
 * all its rows are ready ({@link Collator#assemble}), in schedule order, so batches never depend on thread timing.
 * At most {@code prefetchSteps} prepared steps wait in a bounded queue, which bounds memory; the caller's time spent
 * waiting in {@link #microBatches} is the data stall ({@link #stallNanos}).
 *
 * <p>An error while reading or decoding fails the step it belongs to: {@link #microBatches} of that step throws a
 * {@link DataLoadException} naming the rank, the step and the row, and so does every later call. The source owns the
 * dataset: {@link #close} stops the threads and closes its files.
 */
public final class ShardBatchSource implements BatchSource {
    /**
     * @param prefetchSteps optimizer steps prepared ahead of the one the model trains on (1..64)
     * @param decodeThreads threads decoding and preprocessing images (1..256)
     */
    public record Options(int prefetchSteps, int decodeThreads) {
        public Options {
            require(prefetchSteps >= 1 && prefetchSteps <= 64, "data.prefetch_steps", prefetchSteps, "1..64");
            require(decodeThreads >= 1 && decodeThreads <= 256, "data.decode_threads", decodeThreads, "1..256");
        }
    }

    private record Pending(long step, CompletableFuture<List<Batch>> batches) {}

    private final ShardDataset dataset;
    private final RowSchedule schedule;
    private final int rank;
    private final Collator collator;
    private final BlockingQueue<Pending> ready;
    private final ExecutorService decoders;
    private final Thread reader;
    private final long firstStep;

    private volatile long stallNanos;
    private long lastStep = Long.MIN_VALUE;
    private DataLoadException failure;

    private ShardBatchSource(
            ShardDataset dataset, RowSchedule schedule, int rank, Collator collator, Options options, long firstStep) {
        this.dataset = dataset;
        this.schedule = schedule;
        this.rank = rank;
        this.collator = collator;
        this.ready = new ArrayBlockingQueue<>(options.prefetchSteps());
        AtomicInteger n = new AtomicInteger();
        this.decoders = Executors.newFixedThreadPool(options.decodeThreads(), r -> {
            Thread t = new Thread(r, "share4v-data-r" + rank + "-decode-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        this.firstStep = firstStep;
        this.reader = new Thread(() -> readSteps(firstStep), "share4v-data-r" + rank + "-read");
        reader.setDaemon(true);
    }

    /**
     * Starts preparing steps {@code firstStep, firstStep + 1, ...} of {@code rank} at once.
     *
     * @param firstStep the first step the trainer will ask for (0, or the step after a resumed checkpoint)
     */
    public static ShardBatchSource start(
            ShardDataset dataset, RowSchedule schedule, int rank, Collator collator, Options options, long firstStep) {
        if (firstStep < 0 || firstStep > schedule.steps()) {
            throw new IllegalArgumentException(
                    "first step " + firstStep + " is outside the schedule's 0.." + schedule.steps() + " steps");
        }
        ShardBatchSource source = new ShardBatchSource(dataset, schedule, rank, collator, options, firstStep);
        source.reader.start();
        return source;
    }

    private void readSteps(long firstStep) {
        try {
            for (long step = firstStep; step < schedule.steps(); step++) {
                CompletableFuture<List<Batch>> batches;
                try {
                    batches = prepare(step);
                } catch (RuntimeException | Error e) {
                    // surfaces in microBatches: an Error here must not leave the trainer waiting forever
                    batches = CompletableFuture.failedFuture(e);
                }
                ready.put(new Pending(step, batches));
                if (batches.isCompletedExceptionally()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // closed: stop reading
        }
    }

    private CompletableFuture<List<Batch>> prepare(long step) {
        List<CompletableFuture<Batch>> micro = new ArrayList<>();
        for (long[] rows : schedule.rows(step, rank)) {
            List<ShardRow> read;
            try {
                read = dataset.read(rows);
            } catch (IOException e) {
                throw new DataLoadException(
                        "reading the micro-batch of "
                                + (rows.length == 0
                                        ? "no rows"
                                        : dataset.locate(rows[0]) + " and " + (rows.length - 1) + " more")
                                + ": " + e.getMessage(),
                        e);
            }
            List<CompletableFuture<Collator.Sample>> samples = new ArrayList<>(rows.length);
            for (int i = 0; i < rows.length; i++) {
                ShardRow row = read.get(i);
                String where = dataset.locate(rows[i]);
                samples.add(CompletableFuture.supplyAsync(() -> collator.prepare(row, where), decoders));
            }
            micro.add(CompletableFuture.allOf(samples.toArray(CompletableFuture[]::new))
                    .thenApply(done -> collator.assemble(
                            samples.stream().map(CompletableFuture::join).toList())));
        }
        return CompletableFuture.allOf(micro.toArray(CompletableFuture[]::new))
                .thenApply(done -> micro.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public List<Batch> microBatches(long step) {
        if (failure != null) {
            throw failure;
        }
        if (step <= lastStep || step < firstStep || step >= schedule.steps()) {
            throw new IllegalArgumentException("step " + step + " asked after step " + lastStep + " of a source started"
                    + " at step " + firstStep + "; steps are asked in increasing order, below the schedule's "
                    + schedule.steps());
        }
        long t0 = System.nanoTime();
        Pending p = null;
        try {
            do { // entries come in step order from firstStep; steps the trainer skipped are dropped
                p = ready.take();
            } while (p.step() < step && !p.batches().isCompletedExceptionally());
            lastStep = step;
            return p.batches().get(); // a skipped step's failure surfaces too: the reader stopped there
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            failure = new DataLoadException(
                    "rank " + rank + ", step " + p.step() + ": training data failed: " + cause.getMessage(), cause);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoadException("rank " + rank + ": interrupted while waiting for step " + step, e);
        } finally {
            stallNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public long stallNanos() {
        return stallNanos;
    }

    @Override
    public void close() {
        reader.interrupt();
        decoders.shutdownNow();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
            decoders.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            dataset.close();
        }
    }
}
