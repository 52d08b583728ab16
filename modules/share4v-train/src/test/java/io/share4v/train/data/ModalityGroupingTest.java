package io.share4v.train.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModalityGroupingTest {
    private static ShardManifest grouped(String ordering, int world, int perDevice) {
        return new ShardManifest(
                "OUT/_manifest.json", 1, 0, null, List.of(), List.of(), ordering, world, perDevice, "bytes", 2048, 576);
    }

    @Test
    void acceptsShardsGroupedForTheRunsWorldAndMicroBatch() {
        ModalityGrouping.requireMatches(List.of(grouped("group_by_modality_length", 16, 8)), 16, 8);
    }

    @Test
    void refusesOtherNumbersNamingBoth() {
        String m = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(
                                List.of(grouped("group_by_modality_length", 16, 8)), 2, 8))
                .getMessage();
        assertTrue(
                m.contains("world_size 16 x per_device_batch 8")
                        && m.contains("2 workers x micro-batch 8")
                        && m.contains("--set world_size=2"),
                m);
        String micro = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(
                                List.of(grouped("group_by_modality_length", 16, 8)), 16, 4))
                .getMessage();
        assertTrue(micro.contains("16 workers x micro-batch 4"), micro);
    }

    private static ShardManifest grouped(String source, long rows) {
        return new ShardManifest(
                source,
                1,
                rows,
                null,
                List.of(),
                List.of(new ShardManifest.Shard(new org.apache.hadoop.fs.Path(source), rows)),
                "group_by_modality_length",
                2,
                4,
                "bytes",
                2048,
                576);
    }

    @Test
    void severalDirectoriesMustEndOnAMegabatchBoundaryExceptTheLast() {
        // megabatch = 2 workers x 4 = 8 rows
        ModalityGrouping.requireMatches(List.of(grouped("A", 16), grouped("B", 8), grouped("C", 5)), 2, 4);
        String m = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(
                                List.of(grouped("A", 16), grouped("B", 12), grouped("C", 8)), 2, 4))
                .getMessage();
        assertTrue(m.startsWith("B: holds 12 rows") && m.contains("= 8 rows") && m.contains("List it last"), m);
    }

    @Test
    void refusesShuffledShards() {
        String m = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(List.of(grouped("shuffle", 16, 8)), 16, 8))
                .getMessage();
        assertTrue(m.contains("ordering shuffle") && m.contains("--set ordering=group_by_modality_length"), m);
    }
}
