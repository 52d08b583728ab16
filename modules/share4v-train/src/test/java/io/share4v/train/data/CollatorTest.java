package io.share4v.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.shard.ShardRow;
import io.share4v.model.llava.Batch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollatorTest {
    private static final int I = -100; // IGNORE_INDEX
    private static final int IMG = -200; // IMAGE_TOKEN_INDEX
    private static final ClipImageProcessor.Config PAD = ClipImageProcessor.Config.clip336(AspectMode.PAD);

    private static ShardRow row(String id, int[] ids, int[] labels, byte[] image, String path) {
        boolean has = image != null || path != null;
        return new ShardRow(
                id, "sample", 0, 0, "v1", "pad", ids, labels, ids.length, has, image, path, null, null, false);
    }

    private static ShardRow text(String id, int[] ids, int[] labels) {
        return row(id, ids, labels, null, null);
    }

    private static byte[] sample(int k) throws Exception {
        return Files.readAllBytes(TestShards.SAMPLE_IMAGES.resolve(TestShards.IMAGES.get(k)));
    }

    private static float[] reference(byte[] bytes) throws Exception {
        return new ClipImageProcessor(PAD).preprocess(new ImageDecoder().decode(bytes, "expected"));
    }

    @Test
    void padsRightWithZeroAndIgnoreThenTruncatesToModelMaxLength() {
        Collator c = new Collator(6, "v1", PAD, Map.of());
        Batch b = c.collate(List.of(
                text("a", new int[] {1, 2, 3}, new int[] {I, 2, 3}),
                text("b", new int[] {1, 2, 3, 4, 5, 6, 7, 8}, new int[] {I, I, 3, 4, 5, 6, 7, 8}),
                text("c", new int[] {1, 2}, new int[] {I, 2})));
        assertArrayEquals(new int[][] {{1, 2, 3, 0, 0, 0}, {1, 2, 3, 4, 5, 6}, {1, 2, 0, 0, 0, 0}}, b.inputIds());
        assertArrayEquals(new int[][] {{I, 2, 3, I, I, I}, {I, I, 3, 4, 5, 6}, {I, 2, I, I, I, I}}, b.labels());
        assertEquals(0, b.imageCount());
        assertNull(b.imagePixels());

        // the reference pads to the longest sample of the batch, not to model_max_length
        Batch shortOnes = c.collate(
                List.of(text("a", new int[] {5, 6}, new int[] {5, 6}), text("b", new int[] {7}, new int[] {I})));
        assertArrayEquals(new int[][] {{5, 6}, {7, 0}}, shortOnes.inputIds());
        assertArrayEquals(new int[][] {{5, 6}, {I, I}}, shortOnes.labels());
    }

    @Test
    void oneImagePerPlaceholderLeftAfterTruncationInBatchOrder() throws Exception {
        Collator c = new Collator(6, "v1", PAD, Map.of());
        Batch b = c.collate(List.of(
                row("x", new int[] {1, IMG, 30, 31}, new int[] {I, I, 30, 31}, sample(0), "x.jpg"),
                text("y", new int[] {1, 40, 41}, new int[] {I, 40, 41}),
                // its placeholder lies past model_max_length: truncated away, so no image (as the reference)
                row("w", new int[] {1, 2, 3, 4, 5, 6, IMG, 7}, new int[] {I, I, I, I, I, I, I, 7}, sample(2), "w.jpg"),
                row("z", new int[] {1, IMG, 50}, new int[] {I, I, 50}, sample(1), "z.png")));
        assertEquals(2, b.imageCount());
        assertArrayEquals(reference(sample(0)), b.imagePixels()[0]);
        assertArrayEquals(reference(sample(1)), b.imagePixels()[1]);
        assertEquals(3 * 336 * 336, b.imagePixels()[0].length);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, b.inputIds()[2]);
        assertArrayEquals(new int[] {1, IMG, 50, 0, 0, 0}, b.inputIds()[3]);
    }

    @Test
    void pathModeReadsTheImageUnderItsDatasetsRoot() throws Exception {
        Collator c = new Collator(2048, "v1", PAD, Map.of("sample", TestShards.SAMPLE_IMAGES));
        Batch b = c.collate(
                List.of(row("p", new int[] {1, IMG, 9}, new int[] {I, I, 9}, null, TestShards.IMAGES.get(1))));
        assertArrayEquals(reference(sample(1)), b.imagePixels()[0]);

        DataLoadException escape = assertThrows(
                DataLoadException.class,
                () -> c.collate(List.of(row("q", new int[] {1, IMG}, new int[] {I, I}, null, "../outside.jpg"))));
        assertTrue(
                escape.getMessage().contains("id q") && escape.getMessage().contains("leaves the image root"),
                escape.getMessage());

        Collator noRoot = new Collator(2048, "v1", PAD, Map.of());
        DataLoadException e = assertThrows(
                DataLoadException.class,
                () -> noRoot.collate(
                        List.of(row("p", new int[] {1, IMG, 9}, new int[] {I, I, 9}, null, TestShards.IMAGES.get(1)))));
        assertTrue(
                e.getMessage().contains("no image root") && e.getMessage().contains("dataset sample"), e.getMessage());
    }

    @Test
    void badRowsAreNamed() {
        Collator c = new Collator(2048, "v1", PAD, Map.of());
        DataLoadException corrupt = assertThrows(
                DataLoadException.class,
                () -> c.collate(List.of(
                        text("fine", new int[] {1}, new int[] {1}),
                        row("broken", new int[] {1, IMG}, new int[] {I, I}, "not an image".getBytes(), "b.jpg"))));
        assertTrue(
                corrupt.getMessage().contains("batch sample 1, id broken of dataset sample")
                        && corrupt.getMessage().contains("b.jpg"),
                corrupt.getMessage());

        DataLoadException noImage = assertThrows(
                DataLoadException.class,
                () -> c.collate(List.of(text("lonely", new int[] {1, IMG}, new int[] {I, I}))));
        assertTrue(
                noImage.getMessage().contains("id lonely")
                        && noImage.getMessage().contains("no image"),
                noImage.getMessage());

        DataLoadException lengths = assertThrows(
                DataLoadException.class, () -> c.collate(List.of(text("ragged", new int[] {1, 2}, new int[] {1}))));
        assertTrue(
                lengths.getMessage().contains("id ragged")
                        && lengths.getMessage().contains("2 and 1"),
                lengths.getMessage());

        ShardRow stage1 = new ShardRow(
                "s1",
                "pt",
                0,
                0,
                "plain",
                "square",
                new int[] {1},
                new int[] {1},
                1,
                false,
                null,
                null,
                null,
                null,
                false);
        DataLoadException other = assertThrows(DataLoadException.class, () -> c.collate(List.of(stage1)));
        assertTrue(
                other.getMessage().contains("template plain and aspect square")
                        && other.getMessage().contains("template v1 and aspect pad"),
                other.getMessage());
    }

    private static ShardManifest manifest(
            String template, String aspect, String tokenizer, String imageMode, int maxLength, String root) {
        return new ShardManifest(
                "OUT/_manifest.json",
                1,
                0,
                tokenizer,
                List.of(new ShardManifest.Dataset("mix", template, aspect, root)),
                List.of(),
                "group_by_modality_length",
                2,
                2,
                imageMode,
                maxLength,
                576);
    }

    @Test
    void forShardsRefusesShardsMadeForAnotherRunNamingBothValues() {
        Collator ok = Collator.forShards(
                List.of(manifest("v1", "pad", "tok", "bytes", 2048, null)), 2048, "v1", PAD, "tok", Map.of());
        assertEquals("pad", ok.aspect());

        String template = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(
                                List.of(manifest("plain", "pad", "tok", "bytes", 2048, null)),
                                2048,
                                "v1",
                                PAD,
                                "tok",
                                Map.of()))
                .getMessage();
        assertTrue(
                template.contains("dataset mix")
                        && template.contains("template plain")
                        && template.contains("template v1"),
                template);

        String aspect = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(
                                List.of(manifest("v1", "square", "tok", "bytes", 2048, null)),
                                2048,
                                "v1",
                                PAD,
                                "tok",
                                Map.of()))
                .getMessage();
        assertTrue(aspect.contains("aspect square") && aspect.contains("aspect pad"), aspect);

        String tokenizer = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(
                                List.of(manifest("v1", "pad", "tok-a", "bytes", 2048, null)),
                                2048,
                                "v1",
                                PAD,
                                "tok-b",
                                Map.of()))
                .getMessage();
        assertTrue(tokenizer.contains("tok-a") && tokenizer.contains("tok-b"), tokenizer);

        String length = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(
                                List.of(manifest("v1", "pad", "tok", "bytes", 1024, null)),
                                2048,
                                "v1",
                                PAD,
                                "tok",
                                Map.of()))
                .getMessage();
        assertTrue(length.contains("1024") && length.contains("2048"), length);

        String root = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(
                                List.of(manifest("v1", "pad", "tok", "path", 2048, null)),
                                2048,
                                "v1",
                                PAD,
                                "tok",
                                Map.of()))
                .getMessage();
        assertTrue(root.contains("no image root") && root.contains("dataset mix"), root);
        // the manifest's image root, or one given by the run, is enough
        Collator.forShards(
                List.of(manifest("v1", "pad", "tok", "path", 2048, "/data/images")), 2048, "v1", PAD, "tok", Map.of());
        Collator.forShards(
                List.of(manifest("v1", "pad", "tok", "path", 2048, null)),
                2048,
                "v1",
                PAD,
                "tok",
                Map.of("mix", Path.of("/img")));
    }

    @Test
    void forShardsChecksEveryDirectoryNamingItsManifest() {
        ShardManifest good = manifest("v1", "pad", "tok", "bytes", 2048, "/data/images");
        ShardManifest other = new ShardManifest(
                "EVAL/_manifest.json",
                1,
                0,
                "tok-other",
                List.of(new ShardManifest.Dataset("mix", "v1", "pad", "/data/images")),
                List.of(),
                "shuffle",
                1,
                1,
                "bytes",
                2048,
                576);
        String m = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(List.of(good, other), 2048, "v1", PAD, "tok", Map.of()))
                .getMessage();
        assertTrue(m.startsWith("EVAL/_manifest.json: ") && m.contains("tok-other"), m);

        ShardManifest elsewhere = new ShardManifest(
                "EVAL/_manifest.json",
                1,
                0,
                "tok",
                List.of(new ShardManifest.Dataset("mix", "v1", "pad", "/other/images")),
                List.of(),
                "shuffle",
                1,
                1,
                "bytes",
                2048,
                576);
        String roots = assertThrows(
                        DataLoadException.class,
                        () -> Collator.forShards(List.of(good, elsewhere), 2048, "v1", PAD, "tok", Map.of()))
                .getMessage();
        assertTrue(roots.contains("/other/images") && roots.contains("OUT/_manifest.json"), roots);
        // a root given by the run settles it
        Collator.forShards(List.of(good, elsewhere), 2048, "v1", PAD, "tok", Map.of("mix", Path.of("/img")));
    }
}
