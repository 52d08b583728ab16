package io.share4v.jobs.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ShardOptionsTest {
    @Command(name = "shard-test")
    static final class Holder {
        @Mixin
        ShardOptions options;
    }

    private static ShardOptions parse(String... args) {
        Holder h = new Holder();
        new CommandLine(h).parseArgs(args);
        return h.options;
    }

    @Test
    void givenOptionsBecomeConfigKeysVerbatim() {
        ShardOptions o = parse(
                "--config",
                "conf/shard.yaml",
                "--manifest",
                "a.yaml",
                "--manifest",
                "b.yaml",
                "--data-root",
                "/data",
                "--tokenizer",
                "/tok",
                "--out",
                "hdfs:///share4v/pt-shards",
                "--overwrite",
                "--set",
                "seed=7",
                "--set",
                "ordering=shuffle");
        assertEquals("conf/shard.yaml", o.config);
        assertEquals(List.of("seed=7", "ordering=shuffle"), o.sets);
        assertEquals(
                Map.of(
                        "manifests",
                        List.of("a.yaml", "b.yaml"),
                        "data_root",
                        "/data",
                        "tokenizer_dir",
                        "/tok",
                        "output_dir",
                        "hdfs:///share4v/pt-shards",
                        "overwrite",
                        true),
                o.keys());
        assertEquals(List.of("a.yaml", "b.yaml"), parse("--manifest", "a.yaml", "b.yaml").manifests);
    }

    @Test
    void absentOptionsLeaveTheConfigAlone() {
        assertEquals(Map.of(), parse().keys());
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        CommandLine.ParameterException e =
                assertThrows(CommandLine.ParameterException.class, () -> parse("--outdir", "x"));
        assertTrue(e.getMessage().contains("--outdir"), e.getMessage());
    }
}
