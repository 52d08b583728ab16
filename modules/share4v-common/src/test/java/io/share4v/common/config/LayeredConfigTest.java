package io.share4v.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredConfigTest {
    enum Mode implements ConfigName {
        FAST("fast"),
        GROUP_BY_LENGTH("group_by_length");

        private final String name;

        Mode(String name) {
            this.name = name;
        }

        @Override
        public String configName() {
            return name;
        }
    }

    record Job(String outputDir, long seed, Mode mode, boolean overwrite) {
        Job {
            ConfigName.requirePresent(mode, Mode.class, "mode");
            ConfigChecks.positive("seed", seed);
        }
    }

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("output_dir", null);
        d.put("seed", 42L);
        d.put("mode", Mode.FAST.configName());
        d.put("overwrite", false);
        return d;
    }

    private static final LayeredConfig<Job> JOB =
            new LayeredConfig<>("job config", Job.class, LayeredConfigTest::defaults);

    @Test
    void laterLayersWin(@TempDir Path dir) throws IOException {
        assertEquals(new Job(null, 42, Mode.FAST, false), JOB.load(null, null, null));
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, "seed: 5\noutput_dir: /from/file\nmode: group_by_length\n");
        assertEquals(new Job("/from/file", 5, Mode.GROUP_BY_LENGTH, false), JOB.load(yaml, null, List.of()));
        assertEquals(
                new Job("/opt", 6, Mode.GROUP_BY_LENGTH, false),
                JOB.load(yaml, Map.of("seed", 6L, "output_dir", "/opt"), List.of()));
        assertEquals(
                new Job("/opt", 7, Mode.FAST, true),
                JOB.load(
                        yaml,
                        Map.of("seed", 6L, "output_dir", "/opt"),
                        List.of("seed=7", "mode=fast", "overwrite=true")));
    }

    @Test
    void setValuesAreYamlScalars() throws IOException {
        Map<String, Object> keys =
                JOB.keys(null, null, List.of("seed=7", "overwrite=true", "output_dir=", "mode=fast"));
        assertEquals(7, keys.get("seed"));
        assertEquals(true, keys.get("overwrite"));
        assertEquals("", keys.get("output_dir"));
        assertEquals("fast", keys.get("mode"));
        assertMessage(() -> JOB.load(null, null, List.of("seed=seven")), "job config: ", "seed");
        assertMessage(() -> JOB.load(null, null, List.of("overwrite=yes please")), "overwrite");
        assertMessage(() -> JOB.load(null, null, List.of("seed")), "--set seed: expected key=value");
        assertMessage(() -> JOB.load(null, null, List.of("seed=0")), "seed = 0 is invalid: expected >= 1");
    }

    @Test
    void aKeyGivenTwiceInTheFileIsAnError(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("twice.yaml");
        Files.writeString(yaml, "seed: 5\nmode: fast\nseed: 6\n");
        assertMessage(() -> JOB.load(yaml, null, List.of()), "seed");
        assertThrows(Exception.class, () -> StrictYaml.jsonMapper().readTree("{\"a\": 1, \"a\": 2}"));
    }

    @Test
    void unknownKeysListTheKnownOnes(@TempDir Path dir) throws IOException {
        assertMessage(
                () -> JOB.load(null, null, List.of("sead=7")),
                "job config: --set: unknown key 'sead'; known keys: output_dir, seed, mode, overwrite");
        assertMessage(() -> JOB.load(null, Map.of("out", "x"), null), "option: unknown key 'out'");
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, "seed: 5\nsede: 3\n");
        assertMessage(() -> JOB.load(yaml, null, null), "config file " + yaml + ": unknown key 'sede'");
    }

    @Test
    void badEnumNamesKeyValueAndAllowedNames(@TempDir Path dir) throws IOException {
        assertMessage(
                () -> JOB.load(null, null, List.of("mode=slow")),
                "job config: mode = slow is invalid: expected fast or group_by_length");
        assertMessage(() -> JOB.load(null, null, List.of("mode=FAST")), "mode = FAST is invalid");
        Path yaml = dir.resolve("job.yaml");
        Files.writeString(yaml, "mode: null\n");
        assertMessage(() -> JOB.load(yaml, null, null), "mode = null is invalid: expected fast or group_by_length");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ConfigName.parse(Mode.class, "--mode", "x"));
        assertEquals("--mode = x is invalid: expected fast or group_by_length", e.getMessage());
        assertEquals(Mode.GROUP_BY_LENGTH, ConfigName.parse(Mode.class, "--mode", "group_by_length"));
    }

    @Test
    void asKeysWritesEnumsByTheirConfigName() {
        Map<String, Object> keys = LayeredConfig.asKeys(new Job("/o", 3, Mode.GROUP_BY_LENGTH, true));
        assertEquals(List.of("output_dir", "seed", "mode", "overwrite"), List.copyOf(keys.keySet()));
        assertEquals("group_by_length", keys.get("mode"));
        assertEquals(new Job("/o", 3, Mode.GROUP_BY_LENGTH, true), JOB.convert(keys));
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertMessage(Call c, String... parts) {
        Exception e = assertThrows(Exception.class, c::run);
        for (String p : parts) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    e.getMessage().contains(p), "<" + e.getMessage() + "> lacks <" + p + ">");
        }
    }
}
