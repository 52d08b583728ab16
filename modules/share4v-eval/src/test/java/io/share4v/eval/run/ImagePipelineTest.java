package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The look-ahead bound, text-only questions skipped, in-order pixels, and cancellation on a failed image. */
class ImagePipelineTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(1);
    private final Set<Integer> started = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private float[] pixels(int q) {
        started.add(q);
        return new float[] {q};
    }

    @Test
    void batchesAheadAreBoundedAndTextOnlyQuestionsAreNotDecoded() {
        boolean[] hasImage = new boolean[10];
        Arrays.fill(hasImage, true);
        hasImage[3] = false;
        BatchSchedule s = BatchSchedule.plan(new int[10], 2, 1);
        try (ImagePipeline p = new ImagePipeline(s, hasImage, this::pixels, pool, 2)) {
            assertEquals(0, p.submittedBatches(), "nothing before the first batch is asked for");
            List<float[]> b0 = p.take(0);
            assertEquals(3, p.submittedBatches(), "batch 0 and 2 ahead");
            assertArrayEquals(new float[] {0}, b0.get(0));
            assertArrayEquals(new float[] {1}, b0.get(1));
            List<float[]> b1 = p.take(1);
            assertEquals(4, p.submittedBatches());
            assertArrayEquals(new float[] {2}, b1.get(0));
            assertNull(b1.get(1), "question 3 is text-only");
            p.take(2);
            p.take(3);
            p.take(4);
            assertEquals(5, p.submittedBatches(), "never past the last batch");
        }
        assertTrue(!started.contains(3), "a text-only question is never decoded");
        assertEquals(9, started.size());
    }

    @Test
    void aFailedImageFailsTheTakeAndCancelsTheImagesNotYetTaken() throws InterruptedException {
        BatchSchedule s = BatchSchedule.plan(new int[8], 1, 1);
        boolean[] hasImage = new boolean[8];
        Arrays.fill(hasImage, true);
        ImagePipeline.Decode slow = q -> {
            if (q == 1) {
                throw new EvalInputException("image /x/q1.png not found");
            }
            started.add(q);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new float[] {q};
        };
        try (ImagePipeline p = new ImagePipeline(s, hasImage, slow, pool, 3)) {
            p.take(0); // submits 0..3; 0 done after 200 ms, 1 fails, 2 starts (one thread)
            EvalInputException e = assertThrows(EvalInputException.class, () -> p.take(1));
            assertEquals("image /x/q1.png not found", e.getMessage());
        }
        Thread.sleep(300);
        assertTrue(!started.contains(3), "question 3 was queued and got cancelled: " + started);
        assertTrue(started.size() <= 2, "only 0 and perhaps 2 started: " + started);
    }

    @Test
    void withoutAPoolImagesAreDecodedWhenTakenAndTheTimeCountsAsWaiting() {
        BatchSchedule s = BatchSchedule.plan(new int[3], 2, 1);
        boolean[] hasImage = {true, false, true};
        ImagePipeline p = new ImagePipeline(s, hasImage, this::pixels, null, 2);
        assertEquals(0, started.size());
        List<float[]> b0 = p.take(0);
        assertEquals(Set.of(0), started);
        assertNull(b0.get(1));
        p.take(1);
        assertEquals(Set.of(0, 2), started);
        assertTrue(p.waitNanos() > 0);
        p.close();
    }
}
