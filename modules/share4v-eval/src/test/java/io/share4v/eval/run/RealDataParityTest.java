package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.share4v.eval.EvalData;
import io.share4v.eval.score.mmbench.MmbenchTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Full-file parity with LLaVA-1.5-13B's answer files (skipped when the real files are absent): the runner's questions,
 * in order, give answer lines whose identity and {@code prompt} are the reference's, line for line; counts as the spec
 * states them. LLaVA-Bench's question file is not among the real files, so it has no full-file check.
 */
class RealDataParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVAL = "llava-v1.5-eval/";

    @TempDir
    Path dir;

    private static List<JsonNode> jsonl(Path file) throws Exception {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (Exception e) {
                        throw new IllegalStateException(file + ": " + l, e);
                    }
                })
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pope, pope/llava_pope_test.jsonl, pope/answers/llava-v1.5-13b.jsonl, 8910",
        "mme, MME/llava_mme.jsonl, MME/answers/llava-v1.5-13b.jsonl, 2374",
        "gqa, gqa/llava_gqa_testdev_balanced.jsonl, gqa/answers/llava_gqa_testdev_balanced/llava-v1.5-13b.jsonl, 12578",
        "textvqa, textvqa/llava_textvqa_val_v051_ocr.jsonl, textvqa/answers/llava-v1.5-13b.jsonl, 5000",
        "vizwiz, vizwiz/llava_test.jsonl, vizwiz/answers/llava-v1.5-13b.jsonl, 8000",
        "mmvet, mm-vet/llava-mm-vet.jsonl, mm-vet/answers/llava-v1.5-13b.jsonl, 218",
    })
    void llavaJsonlRunnersGiveTheReferenceLines(String benchmark, String questions, String answers, int count)
            throws Exception {
        Path q = EvalData.require(EVAL + questions);
        List<JsonNode> reference = jsonl(EvalData.require(EVAL + answers));
        BenchmarkRunner runner = Runners.named(benchmark);
        List<EvalQuestion> qs = runner.readQuestions(q);
        assertEquals(count, qs.size());
        assertEquals(count, reference.size());
        for (int i = 0; i < count; i++) {
            ObjectNode line = runner.answerLine(qs.get(i), "", "", "");
            JsonNode ref = reference.get(i);
            String at = benchmark + " line " + (i + 1);
            assertEquals(
                    ref.get("question_id").toString(), line.get("question_id").toString(), at);
            assertEquals(ref.get("prompt"), line.get("prompt"), at);
            assertEquals("<image>\n" + ref.get("prompt").textValue(), qs.get(i).message(), at);
        }
    }

    /**
     * ScienceQA: 4,241 questions, 2,017 with an image; each prompt equals the {@code question} LLaVA's evaluation output
     * ({@code llava-v1.5-13b_output.jsonl}) records for it (the answer file itself keeps one line only).
     */
    @Test
    void scienceQaPromptsAreTheReferences() throws Exception {
        Path q = EvalData.require(EVAL + "scienceqa/llava_test_CQM-A.json");
        JsonNode output = JSON.readTree(EvalData.require(EVAL + "scienceqa/answers/llava-v1.5-13b_output.jsonl")
                .toFile());
        Map<String, JsonNode> byId = new HashMap<>();
        for (String part : List.of("correct", "incorrect")) {
            output.get(part).forEach(r -> byId.put(r.get("question_id").textValue(), r));
        }
        BenchmarkRunner runner = Runners.named("sqa");
        List<EvalQuestion> qs = runner.readQuestions(q);
        assertEquals(4241, qs.size());
        assertEquals(2017, qs.stream().filter(EvalQuestion::hasImage).count());
        assertEquals(4241, byId.size());
        for (EvalQuestion question : qs) {
            ObjectNode line = runner.answerLine(question, "", "", "");
            JsonNode ref = byId.get(line.get("question_id").textValue());
            assertNotNull(ref, line.toString());
            assertEquals(
                    ref.get("question"),
                    line.get("prompt"),
                    line.get("question_id").toString());
            assertEquals(ref.get("is_multimodal").booleanValue(), question.hasImage());
        }
        ObjectNode first = runner.answerLine(qs.get(0), "", "", "");
        JsonNode onlyLine = jsonl(EvalData.require(EVAL + "scienceqa/answers/llava-v1.5-13b.jsonl"))
                .get(0);
        assertEquals(onlyLine.get("question_id"), first.get("question_id"));
        assertEquals(onlyLine.get("prompt"), first.get("prompt"));
    }

    /**
     * MMBench dev, 4,377 rows: the dev TSV is not among the real files, so its rows are rebuilt from LLaVA's upload
     * workbook (index, question, A-D as pandas read them) with each hint taken as what precedes the question in the
     * reference prompt. The option walk, the assembly, {@code options}, {@code option_char}, {@code round_id} and the
     * key order are then checked against every reference line.
     */
    @Test
    void mmbenchLinesAreTheReferences() throws Exception {
        MmbenchTable upload = MmbenchTable.read(
                EvalData.require(EVAL + "mmbench/answers_upload/mmbench_dev_20230712/llava-v1.5-13b.xlsx"));
        List<JsonNode> reference =
                jsonl(EvalData.require(EVAL + "mmbench/answers/mmbench_dev_20230712/llava-v1.5-13b.jsonl"));
        Map<Long, JsonNode> byIndex = new HashMap<>();
        reference.forEach(r -> byIndex.put(r.get("question_id").longValue(), r));
        StringBuilder tsv = new StringBuilder("index\tquestion\thint\tA\tB\tC\tD\timage\n");
        for (Map<String, String> row : upload.rows()) {
            String prompt =
                    byIndex.get(Long.parseLong(row.get("index"))).get("prompt").textValue();
            String question = row.get("question");
            int at = prompt.indexOf(question + "\nA. ");
            String hint = at <= 0 ? "" : prompt.substring(0, at - 1);
            tsv.append(row.get("index"));
            for (String v : new String[] {question, hint, row.get("A"), row.get("B"), row.get("C"), row.get("D")}) {
                tsv.append('\t').append(v == null ? "" : quoted(v));
            }
            tsv.append("\tAAAA\n");
        }
        Path file = Files.writeString(dir.resolve("mmbench_dev_20230712.tsv"), tsv);
        BenchmarkRunner runner = Runners.named("mmbench");
        List<EvalQuestion> qs = runner.readQuestions(file);
        assertEquals(4377, qs.size());
        assertEquals(4377, reference.size());
        for (EvalQuestion q : qs) {
            JsonNode ref = byIndex.get(q.identity().get("question_id").longValue());
            ObjectNode line = runner.answerLine(
                    q,
                    ref.get("text").textValue(),
                    ref.get("answer_id").textValue(),
                    ref.get("model_id").textValue());
            assertEquals(ref.toString(), line.toString());
        }
    }

    private static String quoted(String v) {
        return v.contains("\t") || v.contains("\n") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
