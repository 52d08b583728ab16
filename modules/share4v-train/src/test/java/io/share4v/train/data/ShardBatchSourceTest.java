package io.share4v.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.shard.ShardRow;
import io.share4v.model.llava.Batch;
import io.share4v.train.plan.RowSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardBatchSourceTest {
    private static final TestShards.Facts FACTS = TestShards.Facts.stage2();
    private static final ShardBatchSource.Options OPTIONS = new ShardBatchSource.Options(2, 3);

    @TempDir
    Path tmp;

    /**
     * 2 ranks x 2 micro-batches of 2 rows per step: step s covers rows 8s..8s+7, rank r its contiguous half, as the
     * batch plan cuts a global batch; {@code slowStep} (if >= 0) takes {@code slowMillis} to plan.
     */
    private static RowSchedule schedule(long steps, long slowStep, long slowMillis) {
        return new RowSchedule() {
            @Override
            public long[][] rows(long step, int rank) {
                if (step == slowStep) {
                    try {
                        Thread.sleep(slowMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                long base = step * 8 + (rank % 2) * 4;
                return new long[][] {{base, base + 1}, {base + 2, base + 3}};
            }

            @Override
            public long steps() {
                return steps;
            }
        };
    }

    private Path shards(List<ShardRow> rows) throws IOException {
        return TestShards.write(tmp.resolve("out"), rows, new int[] {7, 9, 8}, 3, FACTS);
    }

    private static Collator collator() {
        return new Collator(2048, "v1", ClipImageProcessor.Config.clip336(AspectMode.PAD), Map.of());
    }

    private static ShardDataset open(Path out) throws IOException {
        return ShardDataset.open(out.toString(), new Configuration());
    }

    @Test
    void prefetchedBatchesEqualASynchronousRead() throws IOException {
        Path out = shards(TestShards.rows(24, FACTS));
        RowSchedule plan = schedule(3, -1, 0);
        Collator collator = collator();
        try (ShardDataset sync = open(out)) {
            for (int rank = 0; rank < 2; rank++) {
                try (ShardBatchSource source = ShardBatchSource.start(open(out), plan, rank, collator, OPTIONS, 0)) {
                    for (long step = 0; step < 3; step++) {
                        List<Batch> got = source.microBatches(step);
                        long[][] micro = plan.rows(step, rank);
                        assertEquals(micro.length, got.size());
                        for (int m = 0; m < micro.length; m++) {
                            Batch expected = collator.collate(sync.read(micro[m]));
                            assertArrayEquals(expected.inputIds(), got.get(m).inputIds());
                            assertArrayEquals(expected.labels(), got.get(m).labels());
                            assertEquals(expected.imageCount(), got.get(m).imageCount());
                            for (int i = 0; i < expected.imageCount(); i++) {
                                assertArrayEquals(
                                        expected.imagePixels()[i], got.get(m).imagePixels()[i]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aResumedSourceStartsAtItsFirstStep() throws IOException {
        Path out = shards(TestShards.rows(24, FACTS));
        try (ShardBatchSource source =
                ShardBatchSource.start(open(out), schedule(3, -1, 0), 1, collator(), OPTIONS, 2)) {
            assertThrows(IllegalArgumentException.class, () -> source.microBatches(1));
            Batch first = source.microBatches(2).get(0);
            assertEquals(1000 + 10 * 20 + 1, first.inputIds()[0][1]); // row 20 = 8*2 + 4, the first of rank 1's half
        }
    }

    @Test
    void anErrorInARowFailsItsStepNamingTheRow() throws IOException {
        List<ShardRow> rows = new ArrayList<>(TestShards.rows(24, FACTS));
        ShardRow r = rows.get(9);
        rows.set(
                9,
                new ShardRow(
                        r.id(),
                        r.dataset(),
                        r.recordIndex(),
                        r.order(),
                        r.template(),
                        r.aspect(),
                        r.inputIds(),
                        r.labels(),
                        r.nTokens(),
                        true,
                        "truncated".getBytes(),
                        r.imagePath(),
                        10,
                        10,
                        false));
        Path out = shards(rows);
        try (ShardBatchSource source =
                ShardBatchSource.start(open(out), schedule(3, -1, 0), 0, collator(), OPTIONS, 0)) {
            assertEquals(2, source.microBatches(0).size());
            DataLoadException e = assertThrows(DataLoadException.class, () -> source.microBatches(1));
            String m = e.getMessage();
            assertTrue(
                    m.contains("rank 0, step 1")
                            && m.contains("row 9 (")
                            && m.contains("part-00001")
                            && m.contains("id r9 of dataset sample"),
                    m);
            assertThrows(DataLoadException.class, () -> source.microBatches(2));
        }
    }

    @Test
    void stallIsTheTimeTheCallerWaitedForData() throws Exception {
        Path out = shards(TestShards.rows(24, FACTS));
        ShardBatchSource source = ShardBatchSource.start(
                open(out), schedule(3, 2, 800), 5, collator(), new ShardBatchSource.Options(1, 2), 0);
        try {
            Thread.sleep(1500); // the model is slower than the data: steps 0 and 1 are ready when asked
            source.microBatches(0);
            source.microBatches(1);
            long ready = source.stallNanos();
            source.microBatches(2); // planning step 2 takes 800 ms and started only when step 0 was taken
            long waited = source.stallNanos() - ready;
            assertTrue(waited >= 400_000_000L, "waited " + waited + " ns for the slow step");
            assertTrue(ready < waited / 2, "stall " + ready + " ns for prefetched steps vs " + waited);
        } finally {
            source.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            assertFalse(t.isAlive() && t.getName().startsWith("share4v-data-r5-"), t.getName() + " still runs");
        }
    }
}
