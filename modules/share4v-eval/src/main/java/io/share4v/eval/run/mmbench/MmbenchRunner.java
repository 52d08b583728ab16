package io.share4v.eval.run.mmbench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.data.Tokens;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.run.BadRecords;
import io.share4v.eval.run.BenchmarkRunner;
import io.share4v.eval.run.EvalQuestion;
import io.share4v.eval.run.ImageSource;
import io.share4v.eval.run.RunnerSettings;
import io.share4v.eval.score.mmbench.MmbenchTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MMBench (and MMBench-CN) as {@code model_vqa_mmbench --single-pred-prompt} asks it, one round per TSV row (the TSV
 * already holds the rotated copies; {@code --all-rounds} is not used by the scripts). The TSV is read as pandas reads
 * it ({@link MmbenchTable}); per row:
 *
 * <ol>
 *   <li>options: {@code A}, {@code B}, {@code C}, {@code D} in turn, stopping at the first missing one (a cell pandas
 *       reads as NaN, or the text {@code nan} / {@code none} in any case; so an option reading "None" ends the list);
 *   <li>the question, after {@code hint + "\n"} when the hint is not missing;
 *   <li>{@code "\n" + letter + ". " + option} for each option: this is the answer line's {@code prompt};
 *   <li>the message: {@code "<image>\n"} + that + the suffix ({@link #EN_SUFFIX} or, for {@code mmbench_cn},
 *       {@link #CN_SUFFIX}).
 * </ol>
 *
 * The image is the row's base64 {@code image} cell. The answer line has the reference's keys in its order:
 * {@code question_id} (the {@code index}, an integer), {@code round_id} 0, {@code prompt}, {@code text},
 * {@code options}, {@code option_char}, {@code answer_id}, {@code model_id}, {@code metadata {}}. Settings:
 * {@link RunnerSettings#mmbench} ({@code process_images}: the checkpoint's aspect mode; 1024 tokens).
 */
public final class MmbenchRunner implements BenchmarkRunner {
    public static final String EN_SUFFIX = "\nAnswer with the option's letter from the given choices directly.";
    public static final String CN_SUFFIX = "\n请直接回答选项字母。";
    private static final List<String> LETTERS = List.of("A", "B", "C", "D");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String name;
    private final String suffix;

    private MmbenchRunner(String name, String suffix) {
        this.name = name;
        this.suffix = suffix;
    }

    /** {@code mmbench}: the English suffix. */
    public static MmbenchRunner english() {
        return new MmbenchRunner("mmbench", EN_SUFFIX);
    }

    /** {@code mmbench_cn}: {@code --lang cn}'s suffix. */
    public static MmbenchRunner chinese() {
        return new MmbenchRunner("mmbench_cn", CN_SUFFIX);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunnerSettings settings() {
        return RunnerSettings.mmbench();
    }

    @Override
    public List<EvalQuestion> readQuestions(Path file) {
        MmbenchTable table = MmbenchTable.readWithImages(file);
        for (String column : List.of("index", "question", "hint", "A", "B", MmbenchTable.IMAGE)) {
            if (!table.has(column)) {
                throw new EvalInputException(file + ": no column \"" + column + "\" (an MMBench TSV has index,"
                        + " question, hint, A-D, image; columns: " + String.join(", ", table.columns()) + ")");
            }
        }
        BadRecords bad = new BadRecords(file, "the " + name + " TSV");
        List<EvalQuestion> out = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            try {
                out.add(question(file, table.rows().get(r), out.size()));
            } catch (BadRecords.Problem p) {
                bad.add("row " + (r + 1), p.getMessage());
            }
        }
        bad.throwIfAny(table.rows().size());
        return out;
    }

    private EvalQuestion question(Path file, Map<String, String> row, int position) {
        long index = index(row.get("index"));
        String question = row.get("question");
        if (question == null) {
            throw new BadRecords.Problem("index " + index + ": the question is empty");
        }
        String image = row.get(MmbenchTable.IMAGE);
        if (image == null) {
            throw new BadRecords.Problem("index " + index + ": the image is empty");
        }
        List<String> options = new ArrayList<>();
        for (String letter : LETTERS) {
            String option = row.get(letter);
            if (missing(option)) {
                break;
            }
            options.add(option);
        }
        String hint = row.get("hint");
        StringBuilder prompt = new StringBuilder();
        if (!missing(hint)) {
            prompt.append(hint).append('\n');
        }
        prompt.append(question);
        ArrayNode optionTexts = JSON.arrayNode();
        ArrayNode optionChars = JSON.arrayNode();
        for (int i = 0; i < options.size(); i++) {
            prompt.append('\n').append(LETTERS.get(i)).append(". ").append(options.get(i));
            optionTexts.add(options.get(i));
            optionChars.add(LETTERS.get(i));
        }
        String message = Tokens.IMAGE_TOKEN + "\n" + prompt + suffix;
        ObjectNode identity = JSON.objectNode().put("question_id", index);
        ObjectNode record = JSON.objectNode().put("question_id", index).put("prompt", prompt.toString());
        record.set("options", optionTexts);
        record.set("option_char", optionChars);
        ImageSource source = new ImageSource.Base64Data(image, file + " index " + index);
        return new EvalQuestion(position, message, source, identity, record);
    }

    /** The reference's {@code is_none}: NaN (null here), or the text {@code nan} / {@code none} in any case. */
    static boolean missing(String v) {
        if (v == null) {
            return true;
        }
        String lower = v.toLowerCase(Locale.ROOT);
        return lower.equals("nan") || lower.equals("none");
    }

    private static long index(String v) {
        if (v == null) {
            throw new BadRecords.Problem("the index is empty");
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRecords.Problem("the index \"" + v + "\" is not an integer");
        }
    }

    @Override
    public ObjectNode answerLine(EvalQuestion question, String text, String answerId, String modelId) {
        ObjectNode r = question.record();
        ObjectNode line = JSON.objectNode();
        line.set("question_id", r.get("question_id"));
        line.put("round_id", 0);
        line.set("prompt", r.get("prompt"));
        line.put("text", text);
        line.set("options", r.get("options").deepCopy());
        line.set("option_char", r.get("option_char").deepCopy());
        line.put("answer_id", answerId);
        line.put("model_id", modelId);
        line.set("metadata", JSON.objectNode());
        return line;
    }
}
