package io.share4v.eval.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The pixels of a {@link BatchSchedule}'s batches, decoded and preprocessed on a pool's threads ahead of generation:
 * when the generator takes batch k, the images of batches k+1 .. k+{@code ahead} are submitted (in schedule order,
 * so the pool works on the batch needed next first), and the generator waits only for what is not ready yet
 * ({@link #waitNanos}). At most {@code (ahead + 1) x batchSize} preprocessed images are held at once (the batch being
 * generated and the ones decoded ahead), plus one decoded RGB image per pool thread being processed. Without a pool
 * every image is decoded on the calling thread when its batch is taken (the reference's way), and that time counts
 * as waiting.
 *
 * <p>A failed decode fails {@link #take} with the decoder's exception (e.g. {@link io.share4v.eval.EvalInputException}
 * naming the image) after cancelling every image not yet taken; {@link #close} cancels them too. Used by one
 * thread.
 */
final class ImagePipeline implements AutoCloseable {
    /** The preprocessed pixels of question {@code q}, or null when it has no image; thread-safe. */
    @FunctionalInterface
    interface Decode {
        float[] pixels(int q);
    }

    private static final Future<float[]> NO_IMAGE = CompletableFuture.completedFuture(null);

    private final BatchSchedule schedule;
    private final boolean[] hasImage;
    private final Decode decode;
    private final ExecutorService pool;
    private final int ahead;
    private final List<List<Future<float[]>>> pending;
    private int submitted;
    private long waitNanos;

    /**
     * @param hasImage per question position: whether it has an image (text-only questions are never submitted)
     * @param pool     the decoding threads, or null to decode on the calling thread
     * @param ahead    batches decoded ahead of the one being generated (>= 1 with a pool)
     */
    ImagePipeline(BatchSchedule schedule, boolean[] hasImage, Decode decode, ExecutorService pool, int ahead) {
        if (pool != null && ahead < 1) {
            throw new IllegalArgumentException(
                    "eval.decode_ahead_batches must be >= 1 with a decoding pool, got " + ahead);
        }
        this.schedule = schedule;
        this.hasImage = hasImage.clone();
        this.decode = decode;
        this.pool = pool;
        this.ahead = ahead;
        this.pending = new ArrayList<>(Collections.nCopies(schedule.size(), null));
    }

    /** Batch {@code k}'s pixels, one entry per question of the batch (null for a text-only one); k in order. */
    List<float[]> take(int k) {
        if (pool == null) {
            return decodeInline(schedule.batch(k));
        }
        submitThrough(Math.min(schedule.size() - 1, k + ahead));
        List<Future<float[]>> futures = pending.get(k);
        pending.set(k, null);
        List<float[]> out = new ArrayList<>(futures.size());
        long t0 = System.nanoTime();
        try {
            for (Future<float[]> f : futures) {
                out.add(f.get());
            }
        } catch (ExecutionException e) {
            cancelAll();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            cancelAll();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decoded images", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("image decoding was cancelled (the pool was shut down)", e);
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
        return out;
    }

    private List<float[]> decodeInline(int[] batch) {
        long t0 = System.nanoTime();
        try {
            List<float[]> out = new ArrayList<>(batch.length);
            for (int q : batch) {
                out.add(hasImage[q] ? decode.pixels(q) : null);
            }
            return out;
        } finally {
            waitNanos += System.nanoTime() - t0;
        }
    }

    private void submitThrough(int last) {
        for (; submitted <= last; submitted++) {
            int[] batch = schedule.batch(submitted);
            List<Future<float[]>> futures = new ArrayList<>(batch.length);
            for (int q : batch) {
                futures.add(hasImage[q] ? pool.submit(() -> decode.pixels(q)) : NO_IMAGE);
            }
            pending.set(submitted, futures);
        }
    }

    private void cancelAll() {
        for (int k = 0; k < pending.size(); k++) {
            List<Future<float[]>> futures = pending.get(k);
            if (futures != null) {
                futures.forEach(f -> f.cancel(true));
                pending.set(k, null);
            }
        }
    }

    /** Nanoseconds {@link #take} spent waiting for pixels (or decoding them, without a pool). */
    long waitNanos() {
        return waitNanos;
    }

    /** Batches whose images were handed to the pool so far (tests: the look-ahead bound). */
    int submittedBatches() {
        return submitted;
    }

    @Override
    public void close() {
        cancelAll();
    }
}
