package io.share4v.eval.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.text.ConversationTemplate;
import io.share4v.data.text.ConversationTemplates;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.config.LlavaConfig;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.model.llava.LlavaModel;
import io.share4v.model.llava.TinyLlava;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny random LLaVA ({@link TinyLlava}, 28-pixel images) with the LLaMA-2 test tokenizer, non-square PNGs, and a
 * one-question-at-a-time reference built here independently of {@link QuestionAnswerer}: the prompt string from the
 * template, {@code tokenizer_image_token}, the CLIP processor with an explicit aspect mode, a batch-1 generator.
 */
final class AnswererFixture {
    static final Path TOKENIZER = tokenizerDir();
    static final ConversationTemplate CONV = ConversationTemplates.get("vicuna_v1");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private AnswererFixture() {}

    private static Path tokenizerDir() {
        try {
            return Path.of(AnswererFixture.class
                            .getResource("/tokenizer/llama2/tokenizer.model")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the tiny model to {@code dir} with {@code image_aspect_ratio} = {@code aspect}. */
    static LlavaDirectory model(Path dir, AspectMode aspect) throws IOException {
        TinyLlava.write(dir, TOKENIZER, LlamaTokenizer.load(TOKENIZER).vocabSize(), 7, Backends.create("java"));
        ObjectMapper m = new ObjectMapper();
        ObjectNode config = (ObjectNode) m.readTree(dir.resolve("config.json").toFile());
        config.put("image_aspect_ratio", aspect.configName());
        m.writeValue(dir.resolve("config.json").toFile(), config);
        return LlavaDirectory.open(dir, null);
    }

    /** Writes {@code name} as a PNG of {@code w x h} random smooth colours; returns its file name. */
    static String image(Path folder, String name, int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] base = {r.nextInt(256), r.nextInt(256), r.nextInt(256)};
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (base[0] + 5 * x + r.nextInt(20)) & 255;
                int green = (base[1] + 7 * y + r.nextInt(20)) & 255;
                int blue = (base[2] + 3 * (x + y)) & 255;
                img.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        try {
            Files.createDirectories(folder.resolve(name).getParent());
            ImageIO.write(img, "png", folder.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    static EvalQuestion imageQuestion(int index, String text, String image) {
        return question(index, Tokens.IMAGE_TOKEN + "\n" + text, new ImageSource.InFolder(image));
    }

    static EvalQuestion textQuestion(int index, String text) {
        return question(index, text, null);
    }

    static EvalQuestion question(int index, String message, ImageSource image) {
        ObjectNode id = JSON.objectNode().put("question_id", index);
        return new EvalQuestion(index, message, image, id, id.deepCopy());
    }

    /**
     * Seven questions, images of three shapes and text-only ones, prompts of different lengths, in an order that
     * mixes them.
     */
    static List<EvalQuestion> mixedQuestions(Path folder) {
        String wide = image(folder, "wide.png", 44, 28, 1);
        String tall = image(folder, "tall.png", 28, 52, 2);
        String square = image(folder, "sq/square.png", 30, 30, 3);
        List<EvalQuestion> q = new ArrayList<>();
        q.add(imageQuestion(0, "Is there a dog?\nAnswer the question using a single word or phrase.", wide));
        q.add(textQuestion(1, "Which of these states is farthest north? A. Ohio B. Maine C. Texas"));
        q.add(imageQuestion(2, "Describe the picture in detail.", tall));
        q.add(imageQuestion(
                3,
                "What colour is the object on the left of the table, and is it larger than the one on the right?",
                square));
        q.add(textQuestion(4, "Hi"));
        q.add(imageQuestion(5, "Count.", wide));
        q.add(imageQuestion(6, "Is it overcast?\nAnswer the question using a single word or phrase.", tall));
        return q;
    }

    /** Loads the directory's weights for a batch-1 reference generator. */
    static LlavaModel referenceModel(LlavaDirectory dir, String backend) throws IOException {
        return dir.load(Generator.modelOptions(1, DType.FLOAT), Backends.create(backend));
    }

    /** Question {@code q} answered alone: greedy, the template's stop string, images processed with {@code aspect}. */
    static int[] alone(LlavaModel m, LlamaTokenizer tok, EvalQuestion q, Path folder, AspectMode aspect, int maxNew) {
        String text = CONV.append(CONV.userRole(), q.message())
                .append(CONV.assistantRole(), null)
                .prompt();
        int[] ids = ImagePromptTokenizer.encode(tok, text);
        LlavaConfig cfg = m.config();
        Prompt p;
        int spliced = ids.length;
        if (q.hasImage()) {
            ClipImageProcessor proc = new ClipImageProcessor(ClipImageProcessor.Config.clip336(aspect)
                    .withSize(cfg.vision().imageSize()));
            String file = ((ImageSource.InFolder) q.image()).relativePath();
            try {
                p = new Prompt(ids, List.of(proc.preprocess(new ImageDecoder().decode(folder.resolve(file)))));
            } catch (RecordRejectedException e) {
                throw new IllegalStateException(e);
            }
            spliced += cfg.imageTokens() - 1;
        } else {
            p = Prompt.text(ids);
        }
        Generator g = new Generator(m, tok, 1, spliced + maxNew - 1);
        return g.generate(List.of(p), GenerationConfig.greedy(maxNew).withStopStrings(List.of(CONV.stopString())))
                .sequences()
                .get(0)
                .tokenIds();
    }
}
