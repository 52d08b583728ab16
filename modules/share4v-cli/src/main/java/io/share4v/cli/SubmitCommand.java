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
import io.share4v.eval.submit.VizWizSubmission;
import io.share4v.eval.submit.VqaV2Submission;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v submit --benchmark mmbench|mmbench_cn|seed|vqav2|vizwiz --answers FILE [--annotations FILE]
 * [--questions FILE] --out FILE [--allow-partial]}: writes the file a benchmark's evaluation server takes, as LLaVA's
 * converters do (MMBench: the xlsx of {@code convert_mmbench_for_submission.py} from the split's TSV; SEED: the
 * leaderboard jsonl of {@code convert_seed_for_submission.py} from {@code SEED-Bench.json}; VQAv2: the test2015
 * upload JSON of {@code convert_vqav2_for_submission.py} from the test2015 question file, checked against the
 * test-dev question file that was run; VizWiz: the upload JSON of {@code convert_vizwiz_for_submission.py} from its
 * question file). Prints {@code {"benchmark", "out", "rows"}}.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = "Write a benchmark's server submission file from a LLaVA answers file (MMBench xlsx, SEED jsonl,"
                + " VQAv2 and VizWiz JSON).")
public final class SubmitCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> MMBENCH = List.of("mmbench", "mmbench_cn");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--benchmark",
            required = true,
            paramLabel = "NAME",
            description = "mmbench, mmbench_cn, seed, vqav2 or vizwiz.")
    String benchmark;

    @Option(names = "--answers", required = true, paramLabel = "FILE", description = "The answers (jsonl).")
    Path answers;

    @Option(
            names = "--annotations",
            paramLabel = "FILE",
            description = "MMBench: the split's TSV (e.g. mmbench_test_en_20231003.tsv). SEED: SEED-Bench.json."
                    + " VQAv2: the test2015 question file (llava_vqav2_mscoco_test2015.jsonl).")
    Path annotations;

    @Option(
            names = "--questions",
            paramLabel = "FILE",
            description = "VizWiz: the question file that was run (llava_test.jsonl). VQAv2: the test-dev question"
                    + " file that was run (every question must be answered unless --allow-partial).")
    Path questions;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write (.xlsx / .jsonl).")
    Path out;

    @Option(
            names = "--allow-partial",
            description = "MMBench, VQAv2: leave the prediction of unanswered questions empty instead of failing.")
    boolean allowPartial;

    @Override
    public Integer call() throws Exception {
        AnswerFile read = AnswerFile.read(answers);
        int rows;
        if (MMBENCH.contains(benchmark)) {
            rows = MmbenchSubmission.write(
                    MmbenchTable.read(required(annotations, "--annotations", "the split's TSV")),
                    read,
                    out,
                    allowPartial);
        } else if (benchmark.equals("seed")) {
            if (allowPartial) {
                throw new EvalInputException("seed: the SEED submission needs every question answered"
                        + " (--allow-partial is for mmbench)");
            }
            rows = SeedSubmission.write(
                    SeedBench.read(required(annotations, "--annotations", "SEED-Bench.json")), read, out);
        } else if (benchmark.equals("vqav2")) {
            VqaV2Submission upload = VqaV2Submission.build(
                    read,
                    required(annotations, "--annotations", "the test2015 question file"),
                    questions,
                    allowPartial);
            upload.write(out);
            rows = upload.questions();
        } else if (benchmark.equals("vizwiz")) {
            if (allowPartial) {
                throw new EvalInputException("vizwiz: the VizWiz upload needs every question answered");
            }
            VizWizSubmission upload =
                    VizWizSubmission.build(read, required(questions, "--questions", "the question file that was run"));
            upload.write(out);
            rows = upload.upload().size();
        } else {
            throw new EvalInputException(
                    "--benchmark " + benchmark + ": no submission writer (mmbench, mmbench_cn, seed, vqav2, vizwiz)");
        }
        ObjectNode o = JSON.createObjectNode()
                .put("benchmark", benchmark)
                .put("out", out.toString())
                .put("rows", rows);
        spec.commandLine().getOut().println(JSON.writeValueAsString(o));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Path required(Path p, String flag, String what) {
        if (p == null) {
            throw new EvalInputException(benchmark + ": " + flag + " is required (" + what + ")");
        }
        return p;
    }
}
