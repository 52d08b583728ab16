package io.share4v.eval.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.llava.TinyLlava;
import io.share4v.tensor.backend.Backends;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * What the evaluation benchmark answers: a random LLaVA written once into the work directory, synthetic photo-like
 * JPEGs at a real benchmark size, and questions shaped like the loader benchmarks' (an image, a question, the
 * one-word suffix) or, for a ScienceQA-like mix, text-only questions with a longer context.
 */
final class BenchInputs {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String SUFFIX = "\nAnswer the question using a single word or phrase.";
    private static final String[] QUESTIONS = {
        "Is there a dog in the image?",
        "What colour is the car?",
        "How many people are in the picture?",
        "Is it overcast?",
        "What is the man on the left holding in his right hand, and is it bigger than the object on the table?",
        "Which room of the house is this?",
        "What is written on the sign next to the red door at the end of the street?",
        "Is the plate on the table empty?",
    };
    private static final String[] CONTEXTS = {
        "Question: Which of these states is farthest north?\nOptions: A. Ohio B. Maine C. Texas D. Georgia",
        "Context: A magnet attracts iron. Two magnets are placed with their north poles facing each other.\n"
                + "Question: Will these magnets attract or repel each other?\nOptions: A. attract B. repel",
        "Question: What is the capital of Australia?\nOptions: A. Sydney B. Canberra C. Melbourne",
    };

    private BenchInputs() {}

    /** The model directory for {@code model} ({@code small} or {@code tiny}), written on first use. */
    static Path model(Path work, String model) throws IOException {
        Path dir = work.resolve("model-" + model);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            LlavaConfig config = model.equals("small") ? TinyLlava.small(32000) : TinyLlava.config(32000);
            TinyLlava.write(dir, config, tokenizerDir(), 11, Backends.create("java"));
        }
        return dir;
    }

    static Path tokenizerDir() {
        try {
            return Path.of(BenchInputs.class
                            .getResource("/tokenizer/llama2/tokenizer.model")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code n} questions; question i has an image ({@code q<i>-<width>x<height>.jpg}) unless it is
     * one of the text-only ones ({@code textOnlyFraction} of them, spread at random with a fixed seed).
     */
    static List<EvalQuestion> questions(Path imageFolder, int n, double textOnlyFraction, int width, int height)
            throws IOException {
        Files.createDirectories(imageFolder);
        Random r = new Random(5);
        List<EvalQuestion> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ObjectNode id = JSON.objectNode().put("question_id", i);
            if (r.nextDouble() < textOnlyFraction) {
                String text = CONTEXTS[r.nextInt(CONTEXTS.length)]
                        + "\nAnswer with the option's letter from the given choices directly.";
                out.add(new EvalQuestion(i, text, null, id, id.deepCopy()));
                continue;
            }
            String name = "q" + i + "-" + width + "x" + height + ".jpg";
            Path file = imageFolder.resolve(name);
            long seed = r.nextLong();
            if (!Files.isRegularFile(file)) {
                writeJpeg(photoLike(width, height, seed), file);
            }
            String text = QUESTIONS[r.nextInt(QUESTIONS.length)] + SUFFIX;
            out.add(new EvalQuestion(
                    i, Tokens.IMAGE_TOKEN + "\n" + text, new ImageSource.InFolder(name), id, id.deepCopy()));
        }
        return out;
    }

    /** A sky and ground gradient, a few shaded shapes and sensor-like noise: JPEG-compresses like a photo. */
    static BufferedImage photoLike(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        int horizon = h / 3 + r.nextInt(h / 3);
        g.setPaint(new GradientPaint(0, 0, randomColour(r, 120), 0, horizon, randomColour(r, 200)));
        g.fillRect(0, 0, w, horizon);
        g.setPaint(new GradientPaint(0, horizon, randomColour(r, 60), w, h, randomColour(r, 140)));
        g.fillRect(0, horizon, w, h - horizon);
        for (int s = 0; s < 12; s++) {
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            int sw = 20 + r.nextInt(w / 3);
            int sh = 20 + r.nextInt(h / 3);
            g.setPaint(new GradientPaint(x, y, randomColour(r, 255), x + sw, y + sh, randomColour(r, 255)));
            if (r.nextBoolean()) {
                g.fillOval(x, y, sw, sh);
            } else {
                g.fillRect(x, y, sw, sh);
            }
        }
        g.dispose();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int n = (int) (r.nextGaussian() * 6);
                int red = clamp(((row[x] >> 16) & 255) + n);
                int green = clamp(((row[x] >> 8) & 255) + n);
                int blue = clamp((row[x] & 255) + n);
                row[x] = (red << 16) | (green << 8) | blue;
            }
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }

    private static Color randomColour(Random r, int max) {
        return new Color(r.nextInt(max + 1), r.nextInt(max + 1), r.nextInt(max + 1));
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void writeJpeg(BufferedImage img, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.9f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }
}
