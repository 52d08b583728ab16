package io.share4v.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.data.record.JsonArrayStream;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.text.MismatchPolicy;
import io.share4v.data.text.SamplePreprocessor;
import io.share4v.data.text.TokenizeJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code share4v tokenize}: shows what training will see for each record of a LLaVA JSON file, one JSON line
 * per record in input order ({@code {"id","input_ids","labels"}} or {@code {"id","rejected","detail"}}).
 * The file is streamed, so the 1.2 GB mixes work too. A file that is not a valid JSON array stops with
 * exit code 2 and names the file; lines printed before the broken element stay printed.
 */
@Command(
        name = "tokenize",
        mixinStandardHelpOptions = true,
        description = "Tokenize and label-mask a LLaVA/ShareGPT4V JSON file exactly as ShareGPT4V's train.py; "
                + "prints one JSON line per record.")
public final class TokenizeCommand implements Callable<Integer> {
    /** The {@code --mismatch} spellings (shorter than the shard config's {@code keep_ignored}). */
    enum Mismatch {
        keep(MismatchPolicy.KEEP_IGNORED),
        reject(MismatchPolicy.REJECT);

        final MismatchPolicy policy;

        Mismatch(MismatchPolicy policy) {
            this.policy = policy;
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    RecordInputOptions records;

    @Option(
            names = "--template",
            required = true,
            paramLabel = "NAME",
            description = "Conversation template: v1 (stage 2) or plain (stage 1); also share4v_v1, v1_mmtag, llama_2.")
    String template;

    @Option(
            names = "--mismatch",
            defaultValue = "keep",
            paramLabel = "keep|reject",
            description =
                    "Tokenization mismatch: keep the record with all labels -100 (as the reference), or reject it "
                            + "(default: ${DEFAULT-VALUE}).")
    Mismatch mismatch;

    @Override
    public Integer call() throws IOException {
        SamplePreprocessor pre = records.preprocessor(template, mismatch.policy);
        PrintWriter out = spec.commandLine().getOut();
        try (JsonArrayStream stream = records.openRecords()) {
            JsonArrayStream.Element e;
            while ((e = stream.nextOrNull()) != null) {
                out.println(lineFor(pre, e.node()));
            }
        } finally {
            out.flush();
        }
        return 0;
    }

    private static String lineFor(SamplePreprocessor pre, JsonNode node) {
        String id = RecordInputOptions.usableId(node);
        try {
            return TokenizeJson.line(pre.process(LlavaRecord.fromJson(node)));
        } catch (RecordRejectedException ex) {
            return TokenizeJson.rejected(id, ex);
        }
    }
}
