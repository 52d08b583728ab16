package io.share4v.data.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetManifestTest {
    private static final Path MANIFESTS =
            Path.of("../../data-manifests").toAbsolutePath().normalize();

    @Test
    void everyCommittedManifestLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Stream.concat(Files.list(MANIFESTS), Files.list(MANIFESTS.resolve("sample")))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(5, files.size(), files.toString());
        for (Path f : files) {
            DatasetManifest m = DatasetManifest.load(f);
            assertTrue(m.notes() != null && !m.notes().isBlank(), f + " has notes");
        }
        DatasetManifest pt = DatasetManifest.load(MANIFESTS.resolve("sharegpt4v-pt.yaml"));
        assertEquals("sharegpt4v/share-captioner_coco_lcs_sam_1246k_1107.json", pt.json());
        assertEquals("plain", pt.template());
        assertEquals("square", pt.aspect().configName());
        assertEquals(false, pt.expectedCountExact());
        DatasetManifest mix = DatasetManifest.load(MANIFESTS.resolve("sharegpt4v-mix665k.yaml"));
        assertEquals("sharegpt4v/sharegpt4v_mix665k_cap23k_coco-ap9k_lcs3k_sam9k_div2k.json", mix.json());
        assertEquals(665058L, mix.expectedCount());
        assertEquals("v1", mix.template());
        assertEquals("pad", mix.aspect().configName());
        DatasetManifest cap = DatasetManifest.load(MANIFESTS.resolve("sharegpt4v-cap100k.yaml"));
        assertEquals(102025L, cap.expectedCount());
        assertTrue(cap.expectedCountExact());
        assertNull(cap.sha256());
        assertEquals(
                Path.of("/data/sharegpt4v/sharegpt4v_instruct_gpt4-vision_cap100k.json"),
                cap.jsonPath(Path.of("/data")));
    }

    @Test
    void unknownKeysTypeMismatchesAndBadValuesAreErrors(@TempDir Path dir) throws IOException {
        String good = "name: x\nstage: 2\njson: a.json\nimage_root: .\ntemplate: v1\naspect: pad\n";
        Files.writeString(dir.resolve("ok.yaml"), good);
        assertEquals("x", DatasetManifest.load(dir.resolve("ok.yaml")).name());
        assertError(dir, good + "colour: red\n", "colour");
        assertError(dir, good.replace("stage: 2", "stage: two"), "stage");
        assertError(dir, good.replace("stage: 2", "stage: \"2\""), "stage");
        assertError(dir, good.replace("template: v1", "template: v2"), "template = v2");
        assertError(dir, good.replace("aspect: pad", "aspect: crop"), "aspect = crop");
        assertError(dir, good + "sha256: abc\n", "sha256 = abc");
        assertError(dir, good + "expected_count: -3\n", "expected_count = -3");
    }

    private static void assertError(Path dir, String yaml, String mustMention) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, yaml);
        IOException e = assertThrows(IOException.class, () -> DatasetManifest.load(f), yaml);
        assertTrue(e.getMessage().contains(mustMention) && e.getMessage().contains("bad.yaml"), e.getMessage());
    }

    @Test
    void missingJsonIsNamed(@TempDir Path dir) {
        DatasetManifest m = DatasetManifest.adHoc("x", dir.resolve("nope.json"), dir, "v1", AspectMode.PAD);
        IOException e = assertThrows(IOException.class, () -> m.existingJson(dir));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }
}
