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
        ModalityGrouping.requireMatches(grouped("group_by_modality_length", 16, 8), 16, 8);
    }

    @Test
    void refusesOtherNumbersNamingBoth() {
        String m = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(grouped("group_by_modality_length", 16, 8), 2, 8))
                .getMessage();
        assertTrue(
                m.contains("world_size 16 x per_device_batch 8")
                        && m.contains("2 workers x micro-batch 8")
                        && m.contains("--set world_size=2"),
                m);
        String micro = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(grouped("group_by_modality_length", 16, 8), 16, 4))
                .getMessage();
        assertTrue(micro.contains("16 workers x micro-batch 4"), micro);
    }

    @Test
    void refusesShuffledShards() {
        String m = assertThrows(
                        DataLoadException.class,
                        () -> ModalityGrouping.requireMatches(grouped("shuffle", 16, 8), 16, 8))
                .getMessage();
        assertTrue(m.contains("ordering shuffle") && m.contains("--set ordering=group_by_modality_length"), m);
    }
}
