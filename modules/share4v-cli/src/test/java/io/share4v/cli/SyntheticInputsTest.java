package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.Tokens;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.io.HfConfigReader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The benchmarks' synthetic samples: layout, id range, labels, image shape and reproducibility by seed. */
class SyntheticInputsTest {
    private static LlavaConfig config() throws Exception {
        return HfConfigReader.readLlava(ForwardCommandTest.MODEL, null);
    }

    @Test
    void imagePromptsAreBosImageThenNonSpecialText() throws Exception {
        LlavaConfig cfg = config();
        int[][] ids = new SyntheticInputs(0).imagePrompts(cfg.llm(), 3, 7);
        assertEquals(3, ids.length);
        for (int[] sample : ids) {
            assertEquals(9, sample.length);
            assertEquals(cfg.llm().bosTokenId(), sample[0]);
            assertEquals(Tokens.IMAGE_TOKEN_INDEX, sample[1]);
            for (int t = 2; t < sample.length; t++) {
                assertTrue(sample[t] >= 3 && sample[t] < cfg.llm().vocabSize(), Arrays.toString(sample));
            }
        }
        assertFalse(Arrays.equals(ids[0], ids[1]), "one generator runs through the batch");
    }

    @Test
    void labelsSuperviseTheTextOnly() throws Exception {
        int[][] ids = new SyntheticInputs(0).imagePrompts(config().llm(), 2, 4);
        int[][] labels = SyntheticInputs.textLabels(ids);
        for (int b = 0; b < ids.length; b++) {
            assertEquals(Tokens.IGNORE_INDEX, labels[b][0]);
            assertEquals(Tokens.IGNORE_INDEX, labels[b][1]);
            assertArrayEquals(
                    Arrays.copyOfRange(ids[b], 2, ids[b].length), Arrays.copyOfRange(labels[b], 2, labels[b].length));
        }
        assertEquals(Tokens.IMAGE_TOKEN_INDEX, ids[0][1], "the prompts themselves are left as they were");
    }

    @Test
    void theSeedDecidesIdsAndImages() throws Exception {
        LlavaConfig cfg = config();
        SyntheticInputs a = new SyntheticInputs(5);
        SyntheticInputs b = new SyntheticInputs(5);
        SyntheticInputs c = new SyntheticInputs(6);
        assertArrayEquals(a.imagePrompts(cfg.llm(), 2, 5), b.imagePrompts(cfg.llm(), 2, 5));
        assertFalse(Arrays.deepEquals(a.imagePrompts(cfg.llm(), 2, 5), c.imagePrompts(cfg.llm(), 2, 5)));
        float[][] images = a.images(cfg.vision(), 2);
        int size = cfg.vision().imageSize();
        assertEquals(2, images.length);
        assertEquals(cfg.vision().numChannels() * size * size, images[0].length);
        assertArrayEquals(images[1], b.images(cfg.vision(), 2)[1]);
        // CLIP-normalised 8-bit pixels stay within (0 - max mean) / min std .. (1 - min mean) / min std
        for (float v : images[0]) {
            assertTrue(v > -2f && v < 2.2f, "pixel " + v);
        }
    }
}
