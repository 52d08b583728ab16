package io.share4v.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.data.record.JsonArrayStream;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.data.text.MismatchPolicy;
import io.share4v.data.text.PreprocessConfig;
import io.share4v.data.text.SamplePreprocessor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of the commands that preprocess a LLaVA record file as training does ({@code --tokenizer},
 * {@code --input}, {@code --max-length}; a picocli mixin), with the preprocessor and the file they name.
 */
final class RecordInputOptions {
    /**
     * Patch tokens per image of the released vision tower (CLIP ViT-L/14 at 336 px). It only feeds
     * {@code TokenizedSample.expandedLength}, which these commands do not print.
     */
    static final int IMAGE_TOKENS = 576;

    @Option(
            names = "--tokenizer",
            required = true,
            paramLabel = "DIR",
            description =
                    "Directory with tokenizer.model (and, optionally, tokenizer_config.json and special_tokens_map.json).")
    Path tokenizerDir;

    @Option(
            names = "--input",
            required = true,
            paramLabel = "FILE.json",
            description = "A JSON array of LLaVA records.")
    Path input;

    @Option(
            names = "--max-length",
            defaultValue = "2048",
            paramLabel = "N",
            description = "model_max_length (default: ${DEFAULT-VALUE}).")
    int maxLength;

    /** train.py's preprocessing with the tokenizer and length of these options. */
    SamplePreprocessor preprocessor(String template, MismatchPolicy mismatch) throws IOException {
        PreprocessConfig cfg = new PreprocessConfig(template, maxLength, mismatch, IMAGE_TOKENS);
        return new SamplePreprocessor(LlamaTokenizer.load(tokenizerDir), cfg);
    }

    /** The {@code --input} file as a stream of array elements (read as it goes, so any file size works). */
    JsonArrayStream openRecords() throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(input);
        } catch (NoSuchFileException e) {
            throw new IOException("input file " + input + " does not exist", e);
        }
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        try {
            return new JsonArrayStream(in, input.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The record's id as LlavaRecord reads it (a string or an integer), or null when there is none to report. */
    static String usableId(JsonNode node) {
        JsonNode id = node != null && node.isObject() ? node.get("id") : null;
        return id != null && (id.isTextual() || id.isIntegralNumber()) ? id.asText() : null;
    }
}
