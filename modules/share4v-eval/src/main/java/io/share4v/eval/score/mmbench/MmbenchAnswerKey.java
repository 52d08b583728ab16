package io.share4v.eval.score.mmbench;

import io.share4v.eval.EvalInputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The MMBench dev answer key: one {@link Question} per table row, rotated copies included (a row whose
 * {@code index} is 1,000,000 or more is a copy of question {@code index % 1,000,000} with its options rotated).
 * Read from the dev TSV ({@code mmbench_dev_20230712.tsv}, {@code mmbench_dev_cn_20231003.tsv}) or from any table
 * with the columns {@code index}, {@code answer} and the options {@code A}..{@code D}, such as LLaVA's dev upload
 * xlsx; {@code category} and {@code l2-category} are used when present.
 *
 * @param source    the file read, for messages
 * @param questions the rows, in file order
 */
public record MmbenchAnswerKey(Path source, List<Question> questions) {
    /** Rotated copies have this added to the index of the question they copy. */
    public static final long COPY_OFFSET = 1_000_000L;

    private static final String LETTERS = "ABCD";

    /**
     * One row.
     *
     * @param index       the TSV {@code index}, the answers' {@code question_id}
     * @param answer      the right letter
     * @param choices     letter to option text, for the options the row has
     * @param category    {@code category} or null
     * @param l2Category  {@code l2-category} or null
     */
    public record Question(long index, String answer, Map<String, String> choices, String category, String l2Category) {
        /** The circular group: the index of the question this row is (a copy of). */
        public long group() {
            return index % COPY_OFFSET;
        }
    }

    public static MmbenchAnswerKey read(Path file) {
        MmbenchTable table = MmbenchTable.read(file);
        for (String column : List.of("index", "answer")) {
            if (!table.has(column)) {
                throw new EvalInputException(file + ": no \"" + column + "\" column (the MMBench dev answer key needs"
                        + " index and answer; the test split has no answers and is scored by the server)");
            }
        }
        List<Question> questions = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            Map<String, String> row = table.rows().get(r);
            long index;
            try {
                index = Long.parseLong(row.get("index") == null ? "" : row.get("index"));
            } catch (NumberFormatException e) {
                throw new EvalInputException(
                        file + ": row " + (r + 1) + ": index " + row.get("index") + " is not an integer");
            }
            // as VLMEvalKit builds a row's choices: every option column A-D that is not NaN
            Map<String, String> choices = new LinkedHashMap<>();
            for (char c : LETTERS.toCharArray()) {
                String text = row.get(String.valueOf(c));
                if (text != null) {
                    choices.put(String.valueOf(c), text);
                }
            }
            String answer = row.get("answer");
            if (answer == null || !choices.containsKey(answer)) {
                throw new EvalInputException(file + ": row " + (r + 1) + " (index " + index + "): answer " + answer
                        + " is not one of its options " + choices.keySet());
            }
            questions.add(new Question(
                    index, answer, Collections.unmodifiableMap(choices), row.get("category"), row.get("l2-category")));
        }
        return new MmbenchAnswerKey(file, Collections.unmodifiableList(questions));
    }
}
