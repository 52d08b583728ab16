package io.share4v.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalInputException;
import io.share4v.eval.answers.AnswerFile;
import io.share4v.eval.score.mmbench.MmbenchTable;
import io.share4v.eval.score.seed.SeedBench;
import io.share4v.eval.submit.MmbenchSubmission;
import io.share4v.eval.submit.SeedSubmission;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v submit --benchmark mmbench|mmbench_cn|seed --answers FILE --annotations FILE --out FILE
 * [--allow-partial]}: writes the file a benchmark's evaluation server takes, as LLaVA's converters do (MMBench:
 * the xlsx of {@code convert_mmbench_for_submission.py} from the split's TSV; SEED: the leaderboard jsonl of
 * {@code convert_seed_for_submission.py} from {@code SEED-Bench.json}). Prints {@code {"benchmark", "out", "rows"}}.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Write a benchmark's server submission file from a LLaVA answers file (MMBench xlsx, SEED jsonl).")
public final class SubmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> MMBENCH = List.of("mmbench", "mmbench_cn");

    @Spec
    CommandSpec spec;

    @Option(names = "--benchmark", required = true, paramLabel = "NAME", description = "mmbench, mmbench_cn or seed.")
    String benchmark;

    @Option(names = "--answers", required = true, paramLabel = "FILE", description = "The answers (jsonl).")
    Path answers;

    @Option(
            names = "--annotations",
            required = true,
            paramLabel = "FILE",
            description = "MMBench: the split's TSV (e.g. mmbench_test_en_20231003.tsv). SEED: SEED-Bench.json.")
    Path annotations;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (.xlsx / .jsonl).")
    Path out;

    @Option(
            names = "--allow-partial",
            description = "MMBench: leave the prediction of unanswered rows empty instead of failing.")
    boolean allowPartial;

    @Override
    public Integer call() throws Exception {
        AnswerFile read = AnswerFile.read(answers);
        int rows;
        if (MMBENCH.contains(benchmark)) {
            rows = MmbenchSubmission.write(MmbenchTable.read(annotations), read, out, allowPartial);
        } else if (benchmark.equals("seed")) {
            if (allowPartial) {
                throw new EvalInputException("seed: the SEED submission needs every question answered"
                        + " (--allow-partial is for mmbench)");
            }
            rows = SeedSubmission.write(SeedBench.read(annotations), read, out);
        } else {
            throw new EvalInputException(
                    "--benchmark " + benchmark + ": no submission writer (mmbench, mmbench_cn, seed)");
        }
        ObjectNode o = JSON.createObjectNode()
                .put("benchmark", benchmark)
                .put("out", out.toString())
                .put("rows", rows);
        spec.commandLine().getOut().println(JSON.writeValueAsString(o));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
