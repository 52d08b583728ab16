package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardConfigTest {
    private static final Path CONF =
            Path.of("../conf/shard.yaml").toAbsolutePath().normalize();

    @Test
    void committedConfFileEqualsTheCodeDefaults() throws IOException {
        assertEquals(ShardConfig.load(null, null, List.of()), ShardConfig.load(CONF, null, List.of()));
        ShardConfig d = ShardConfig.load(CONF, null, List.of());
        assertEquals(2048, d.modelMaxLength());
        assertEquals("bytes", d.imageMode().configName());
        assertEquals("shuffle", d.ordering().configName());
    }

    @Test
    void setOverridesAreTypedAndWinOverFileAndOptions() throws IOException {
        ShardConfig c = ShardConfig.load(
                CONF,
                Map.of("seed", 1L, "output_dir", "/x"),
                List.of("seed=7", "ordering=group_by_modality_length", "world_size=2", "mismatch_policy=reject"));
        assertEquals(7, c.seed());
        assertEquals("group_by_modality_length", c.ordering().configName());
        assertEquals(2, c.worldSize());
        assertEquals("/x", c.outputDir());
        assertEquals("reject", c.mismatchPolicy().configName());
    }

    @Test
    void unknownKeysWrongTypesAndRangesAreErrorsNamingTheKey(@TempDir Path dir) throws IOException {
        assertMessage(() -> ShardConfig.load(null, null, List.of("sead=7")), "sead");
        assertMessage(() -> ShardConfig.load(null, null, List.of("seed=seven")), "seed");
        assertMessage(() -> ShardConfig.load(null, null, List.of("model_max_length=1.5")), "model_max_length");
        assertMessage(() -> ShardConfig.load(null, null, List.of("image_mode=jpeg")), "image_mode = jpeg");
        assertMessage(() -> ShardConfig.load(null, null, List.of("row_group_mb=0")), "row_group_mb = 0");
        assertMessage(() -> ShardConfig.load(null, null, List.of("ordering=random")), "ordering = random");
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, "target_shard_mb: 64\nshard_size: 3\n");
        assertMessage(() -> ShardConfig.load(f, null, List.of()), "shard_size");
        Files.writeString(f, "overwrite: \"yes\"\n");
        assertMessage(() -> ShardConfig.load(f, null, List.of()), "overwrite");
    }

    @Test
    void runNeedsDatasetsTokenizerAndOutput() throws IOException {
        ShardConfig c = ShardConfig.load(null, null, List.of());
        assertMessage(c::validatedForRun, "manifests");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertMessage(Call c, String mustContain) {
        Exception e = assertThrows(Exception.class, c::run);
        assertTrue(e.getMessage().contains(mustContain), e.getMessage());
    }
}
