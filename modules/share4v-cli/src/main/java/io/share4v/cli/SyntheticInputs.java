package io.share4v.cli;

import io.share4v.data.Tokens;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.model.config.ClipVisionConfig;
import io.share4v.model.config.LlamaConfig;
import java.util.Random;
import picocli.CommandLine.Option;

/**
 * The {@code --seed} option of the model benchmarks and the synthetic inputs it seeds (a picocli mixin): image
 * prompts {@code [BOS, <image>, n random text ids]} and random CLIP-normalised images. A command sets its own
 * default seed by initialising the mixin field, e.g. {@code @Mixin SyntheticInputs inputs = new SyntheticInputs(3)}.
 */
final class SyntheticInputs {
    /** Ids below this are the tokenizer's specials (unk, BOS, EOS): random text never contains them. */
    private static final int FIRST_TEXT_ID = 3;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the synthetic ids and pixels (default: ${DEFAULT-VALUE}).")
    long seed;

    SyntheticInputs() {}

    SyntheticInputs(long defaultSeed) {
        this.seed = defaultSeed;
    }

    /**
     * {@code count} samples {@code [BOS, <image>, textLen ids]}, the ids uniform over the non-special vocabulary,
     * drawn sample after sample from one generator.
     */
    int[][] imagePrompts(LlamaConfig llm, int count, int textLen) {
        Random r = new Random(seed);
        int[][] ids = new int[count][textLen + 2];
        for (int[] sample : ids) {
            sample[0] = llm.bosTokenId();
            sample[1] = Tokens.IMAGE_TOKEN_INDEX;
            for (int t = 2; t < sample.length; t++) {
                sample[t] = FIRST_TEXT_ID + r.nextInt(llm.vocabSize() - FIRST_TEXT_ID);
            }
        }
        return ids;
    }

    /** Labels of {@link #imagePrompts}: the text supervised, BOS and the image placeholder ignored. */
    static int[][] textLabels(int[][] prompts) {
        int[][] labels = new int[prompts.length][];
        for (int b = 0; b < prompts.length; b++) {
            labels[b] = prompts[b].clone();
            labels[b][0] = Tokens.IGNORE_INDEX;
            labels[b][1] = Tokens.IGNORE_INDEX;
        }
        return labels;
    }

    /**
     * {@code count} images {@code [C*S*S]} of uniform random 8-bit pixels under CLIP's normalisation, so they look
     * like real preprocessed ones. Seeded apart from the ids ({@code seed + 1}).
     */
    float[][] images(ClipVisionConfig v, int count) {
        Random r = new Random(seed + 1);
        int plane = v.imageSize() * v.imageSize();
        float[][] out = new float[count][v.numChannels() * plane];
        for (float[] img : out) {
            for (int c = 0; c < v.numChannels(); c++) {
                float mean = (float) ClipImageProcessor.Config.CLIP_MEAN[c % 3];
                float std = (float) ClipImageProcessor.Config.CLIP_STD[c % 3];
                for (int i = 0; i < plane; i++) {
                    img[c * plane + i] = (r.nextInt(256) / 255f - mean) / std;
                }
            }
        }
        return out;
    }
}
