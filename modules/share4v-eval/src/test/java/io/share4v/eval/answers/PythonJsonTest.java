package io.share4v.eval.answers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.eval.EvalData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Answer lines byte for byte as the reference's {@code json.dumps(...) + "\n"}: every line of LLaVA-1.5's answer
 * files, parsed and written again, is the same text (separators, key order, {@code ensure_ascii} escapes).
 */
class PythonJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void committedReferenceAnswerLinesComeBackByteForByte() throws IOException {
        // unmodified lines of LLaVA's files (the ScienceQA excerpt is rebuilt, not a reference line)
        for (String excerpt : List.of("pope/llava-v1.5-13b.jsonl", "mmbench/llava-v1.5-13b.excerpt.jsonl")) {
            assertSameLines(Path.of("src/test/resources").resolve(excerpt));
        }
    }

    @Test
    void everyRealAnswerFileComesBackByteForByte() throws IOException {
        for (String file : List.of(
                "pope/answers/llava-v1.5-13b.jsonl",
                "MME/answers/llava-v1.5-13b.jsonl",
                "mm-vet/answers/llava-v1.5-13b.jsonl",
                "llava-bench-in-the-wild/answers/llava-v1.5-13b.jsonl",
                "textvqa/answers/llava-v1.5-13b.jsonl",
                "vizwiz/answers/llava-v1.5-13b.jsonl",
                "scienceqa/answers/llava-v1.5-13b.jsonl",
                "mmbench/answers/mmbench_dev_20230712/llava-v1.5-13b.jsonl")) {
            assertSameLines(EvalData.require("llava-v1.5-eval/" + file));
        }
    }

    @Test
    void stringsAndNumbersAsPythonWritesThem() throws IOException {
        JsonNode n = JSON.readTree("{\"a\": \"é中\\n\\\"\", \"b\": [1, -2, true, null], \"c\": 0.5, \"d\": 1e-05,"
                + " \"e\": 1e16, \"f\": 123456.0, \"g\": {}}");
        assertEquals(
                "{\"a\": \"\\u00e9\\u4e2d\\n\\\"\", \"b\": [1, -2, true, null], \"c\": 0.5, \"d\": 1e-05,"
                        + " \"e\": 1e+16, \"f\": 123456.0, \"g\": {}}",
                PythonJson.dumps(n));
        assertEquals("0.0001", PythonJson.floatRepr(1e-4));
        assertEquals("1.5e-07", PythonJson.floatRepr(1.5e-7));
        assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
        assertEquals("-2.5", PythonJson.floatRepr(-2.5));
    }

    private static void assertSameLines(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            assertEquals(lines.get(i), PythonJson.dumps(JSON.readTree(lines.get(i))), file + " line " + (i + 1));
            checked++;
        }
        System.out.println(file + ": " + checked + " lines byte for byte");
    }
}
