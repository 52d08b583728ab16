package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code share4v score} for sqa, mmbench, mmbench_cn and seed on the eval module's excerpts: the printed JSON keys
 * (the contract checks use) and the excerpt's numbers; {@code share4v submit} for MMBench, SEED and VizWiz.
 */
class ScoreCommandSqaMmbenchSeedTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXCERPTS = Path.of("../share4v-eval/src/test/resources");

    @TempDir
    Path tmp;

    private static JsonNode run(String... args) throws IOException {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exit(), r.err());
        return JSON.readTree(r.out());
    }

    private static void assertKeys(JsonNode out, String... keys) {
        List<String> actual = names(out);
        assertEquals(List.of(keys), actual, out.toString());
    }

    private static List<String> names(JsonNode out) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = out.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    @Test
    void sqa() throws IOException {
        Path dir = EXCERPTS.resolve("sqa");
        JsonNode out = run(
                "score",
                "--benchmark",
                "sqa",
                "--answers",
                dir.resolve("llava-v1.5-13b.excerpt.jsonl").toString(),
                "--questions",
                dir.resolve("llava_test_CQM-A.excerpt.json").toString());
        assertKeys(
                out,
                "benchmark",
                "img_accuracy",
                "img_correct",
                "img_total",
                "accuracy",
                "correct",
                "total",
                "unparsed",
                "questions",
                "answered");
        assertEquals("sqa", out.get("benchmark").textValue());
        assertEquals(56.25, out.get("img_accuracy").doubleValue(), 1e-9);
    }

    @Test
    void mmbenchAndMmbenchCn() throws IOException {
        Path dir = EXCERPTS.resolve("mmbench");
        for (String name : List.of("mmbench", "mmbench_cn")) {
            JsonNode out = run(
                    "score",
                    "--benchmark",
                    name,
                    "--answers",
                    dir.resolve("llava-v1.5-13b.excerpt.jsonl").toString(),
                    "--annotations",
                    dir.resolve("mmbench_dev.excerpt.tsv").toString());
            assertKeys(
                    out,
                    "benchmark",
                    "circular_accuracy",
                    "groups",
                    "groups_correct",
                    "vanilla_accuracy",
                    "row_accuracy",
                    "rows",
                    "unmatched",
                    "judge_fallback",
                    "categories",
                    "l2_categories",
                    "questions",
                    "answered");
            assertEquals(name, out.get("benchmark").textValue());
            assertEquals(100.0 * 9 / 14, out.get("circular_accuracy").doubleValue(), 1e-9);
        }
    }

    @Test
    void seed() throws IOException {
        Path dir = EXCERPTS.resolve("seed");
        JsonNode out = run(
                "score",
                "--benchmark",
                "seed",
                "--answers",
                dir.resolve("all-answers.excerpt.jsonl").toString(),
                "--annotations",
                dir.resolve("SEED-Bench.excerpt.json").toString());
        assertKeys(
                out,
                "benchmark",
                "accuracy",
                "correct",
                "total",
                "video_accuracy",
                "all_accuracy",
                "dimensions",
                "questions",
                "answered");
        assertEquals(100.0 * 17 / 27, out.get("accuracy").doubleValue(), 1e-9);
        assertEquals(
                List.of("id", "accuracy", "correct", "total"),
                names(out.get("dimensions").get("Scene Understanding")));
    }

    @Test
    void missingAnswersAreAnErrorNamingTheCount() throws IOException {
        Path dir = EXCERPTS.resolve("sqa");
        List<String> lines = Files.readAllLines(dir.resolve("llava-v1.5-13b.excerpt.jsonl"));
        Path fewer = Files.write(tmp.resolve("fewer.jsonl"), lines.subList(1, lines.size()));
        CliRun r = CliRun.of(
                "score",
                "--benchmark",
                "sqa",
                "--answers",
                fewer.toString(),
                "--questions",
                dir.resolve("llava_test_CQM-A.excerpt.json").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("1 of 36 questions"), r.err());
    }

    @Test
    void submitWritesTheMmbenchWorkbookAndTheSeedUpload() throws IOException {
        Path mm = EXCERPTS.resolve("mmbench");
        Path xlsx = tmp.resolve("llava.xlsx");
        JsonNode out = run(
                "submit",
                "--benchmark",
                "mmbench",
                "--answers",
                mm.resolve("llava-v1.5-13b.excerpt.jsonl").toString(),
                "--annotations",
                mm.resolve("mmbench_dev.excerpt.tsv").toString(),
                "--out",
                xlsx.toString());
        assertKeys(out, "benchmark", "out", "rows");
        assertEquals(43, out.get("rows").intValue());
        assertTrue(Files.size(xlsx) > 0);
        Path seed = EXCERPTS.resolve("seed");
        Path jsonl = tmp.resolve("seed.jsonl");
        run(
                "submit",
                "--benchmark",
                "seed",
                "--answers",
                seed.resolve("all-answers.excerpt.jsonl").toString(),
                "--annotations",
                seed.resolve("SEED-Bench.excerpt.json").toString(),
                "--out",
                jsonl.toString());
        assertEquals(Files.readString(seed.resolve("upload.excerpt.jsonl")), Files.readString(jsonl));
    }

    @Test
    void submitWritesTheVizWizUploadAsLlavasConverter() throws IOException {
        Path vw = EXCERPTS.resolve("vizwiz");
        Path json = tmp.resolve("vizwiz.json");
        JsonNode out = run(
                "submit",
                "--benchmark",
                "vizwiz",
                "--answers",
                vw.resolve("answers.jsonl").toString(),
                "--questions",
                vw.resolve("llava_test.jsonl").toString(),
                "--out",
                json.toString());
        assertEquals(14, out.get("rows").intValue());
        ObjectMapper m = new ObjectMapper();
        assertEquals(m.readTree(vw.resolve("answers_upload.json").toFile()), m.readTree(json.toFile()));
    }
}
