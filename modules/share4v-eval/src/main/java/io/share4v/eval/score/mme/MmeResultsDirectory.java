package io.share4v.eval.score.mme;

import io.share4v.eval.EvalInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers in the MME eval tool's own layout, as {@code calculation.py --results_dir} reads them (and as LLaVA's
 * {@code convert_answer_to_mme.py} writes them): one {@code <subtask>.txt} per subtask, lines
 * {@code image \t question \t Yes|No \t model answer}. The ground truth is the third field.
 */
final class MmeResultsDirectory {
    static final String FORMAT = "MME results: image \\t question \\t Yes|No \\t answer";

    private MmeResultsDirectory() {}

    /** The rows of every subtask file present; {@link MmeSubtask}s without a file are in {@code absent}. */
    static List<MmeRow> read(Path dir, List<MmeSubtask> absent) {
        List<MmeRow> rows = new ArrayList<>();
        for (MmeSubtask s : MmeSubtask.values()) {
            Path file = dir.resolve(s.resultsFile());
            if (!Files.exists(file)) {
                absent.add(s);
                continue;
            }
            for (MmeTsv.Line line : MmeTsv.read(file, 4, FORMAT)) {
                String[] f = line.fields();
                rows.add(new MmeRow(s, f[0], f[1], line.truthYes(2), f[3]));
            }
        }
        if (rows.isEmpty()) {
            throw new EvalInputException(dir + ": no MME results files (<subtask>.txt, e.g. existence.txt)");
        }
        return rows;
    }
}
