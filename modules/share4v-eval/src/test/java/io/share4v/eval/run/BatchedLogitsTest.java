package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.data.image.AspectMode;
import io.share4v.data.image.ClipImageProcessor;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.text.ImagePromptTokenizer;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.model.generate.GenerationConfig;
import io.share4v.model.generate.Generator;
import io.share4v.model.generate.Prompt;
import io.share4v.model.io.LlavaDirectory;
import io.share4v.model.llava.LlavaModel;
import io.share4v.tensor.DType;
import io.share4v.tensor.backend.Backends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Why batched ids equal one-at-a-time ids, and how far that holds: every logit of five mixed questions decoded in
 * one batch against the same question alone. The java backend's kernels compute a row of a matrix product the same
 * way whatever the number of rows, so the logits are bit-identical; OpenBLAS's {@code sgemm} (nd4j) computes a row
 * with a micro-kernel chosen by the number of rows M (a probe on this machine, OpenBLAS 0.3.28 with
 * OPENBLAS_CORETYPE=Haswell: row 0 of X[M, K] W^T came out in four bit patterns, for M = 1; 2, 3, 5; 8, 16;
 * 64, 700), so a question's logits differ from its lone run's in the last float32 bits, and a greedy pick could only
 * change where two logits are that close (none in these questions: the answerer test asserts identical ids).
 */
class BatchedLogitsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"java,0", "nd4j,1e-6"})
    void aQuestionsLogitsInABatchAgainstAlone(String backend, double tolerance) throws Exception {
        Path images = tmp.resolve("images");
        List<EvalQuestion> questions = AnswererFixture.mixedQuestions(images).subList(0, 5);
        LlavaDirectory dir = AnswererFixture.model(tmp.resolve("model"), AspectMode.PAD);
        LlamaTokenizer tok = LlamaTokenizer.load(AnswererFixture.TOKENIZER);
        LlavaModel m = dir.load(Generator.modelOptions(5, DType.FLOAT), Backends.create(backend));
        ClipImageProcessor proc = QuestionAnswerer.processor(dir.config(), ImagePolicy.MODEL_CONFIG);
        List<Prompt> prompts = new ArrayList<>();
        for (EvalQuestion q : questions) {
            String text = AnswererFixture.CONV
                    .append(AnswererFixture.CONV.userRole(), q.message())
                    .append(AnswererFixture.CONV.assistantRole(), null)
                    .prompt();
            int[] ids = ImagePromptTokenizer.encode(tok, text);
            prompts.add(
                    q.hasImage()
                            ? new Prompt(ids, List.of(proc.preprocess(q.image().decode(new ImageDecoder(), images))))
                            : Prompt.text(ids));
        }
        GenerationConfig gc = GenerationConfig.greedy(10);
        Map<String, double[]> alone = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            int q = i;
            new Generator(m, tok, 1, 200)
                    .generate(List.of(prompts.get(i)), gc, (s, t, l) -> alone.put(q + ":" + t, l.clone()));
        }
        Map<String, double[]> batched = new HashMap<>();
        new Generator(m, tok, 5, 200).generate(prompts, gc, (s, t, l) -> batched.put(s + ":" + t, l.clone()));
        assertEquals(alone.keySet(), batched.keySet(), "the same steps of the same questions");
        double worst = 0;
        long differing = 0;
        long values = 0;
        for (Map.Entry<String, double[]> e : alone.entrySet()) {
            double[] a = e.getValue();
            double[] b = batched.get(e.getKey());
            for (int j = 0; j < a.length; j++) {
                double d = Math.abs(a[j] - b[j]);
                differing += d != 0 ? 1 : 0;
                worst = Math.max(worst, d);
            }
            values += a.length;
        }
        System.out.printf(
                "batched vs alone, %s: %d logit rows, %d of %d values differ, max abs difference %.3e%n",
                backend, alone.size(), differing, values, worst);
        assertTrue(worst <= tolerance, backend + ": max abs difference " + worst + " > " + tolerance);
    }
}
