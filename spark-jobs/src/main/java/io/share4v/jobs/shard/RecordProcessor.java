package io.share4v.jobs.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.data.record.LlavaRecord;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.data.record.RejectReason;
import io.share4v.data.record.Turn;
import io.share4v.data.text.LlamaTokenizer;
import io.share4v.data.text.MismatchPolicy;
import io.share4v.data.text.PreprocessConfig;
import io.share4v.data.text.SamplePreprocessor;
import io.share4v.data.text.TokenizedSample;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns one staged JSON line into a {@link ProcessedRecord} on an executor: parse, duplicate check,
 * tokenize and mask, then resolve, read and decode the image. Checks run cheapest first, so a record
 * with several faults reports the first one in that order. Every fault becomes a reject with a reason;
 * nothing is dropped and nothing crashes the task.
 */
public final class RecordProcessor implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What an executor needs to know about one dataset (serializable; no Path fields). */
    public record DatasetSpec(String name, String imageRoot, String template, String aspect, long pixelLimit)
            implements Serializable {}

    private final List<DatasetSpec> datasets;
    private final String tokenizerDir;
    private final int modelMaxLength;
    private final MismatchPolicy mismatchPolicy;
    private final ImageMode imageMode;
    private final int imageTokens;

    /**
     * One tokenizer per executor JVM, shared by its tasks (it is thread-safe): loading parses the 500 KB
     * SentencePiece model, too slow to repeat per task. The folder must be readable at the same path on
     * every executor (shared filesystem), as the job's data root is.
     */
    private static final ConcurrentHashMap<String, LlamaTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private transient ImageDecoder[] decoders;
    private transient SamplePreprocessor[] preprocessors;

    public RecordProcessor(
            List<DatasetSpec> datasets,
            String tokenizerDir,
            int modelMaxLength,
            MismatchPolicy mismatchPolicy,
            ImageMode imageMode,
            int imageTokens) {
        this.datasets = List.copyOf(datasets);
        this.tokenizerDir = tokenizerDir;
        this.modelMaxLength = modelMaxLength;
        this.mismatchPolicy = mismatchPolicy;
        this.imageMode = imageMode;
        this.imageTokens = imageTokens;
    }

    /** @param duplicateKeys sorted {@link ProcessedRecord#key} values of records whose id appeared earlier */
    public Iterator<ProcessedRecord> processAll(Iterator<String> lines, long[] duplicateKeys) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public ProcessedRecord next() {
                return process(lines.next(), duplicateKeys);
            }
        };
    }

    public ProcessedRecord process(String stagedLine, long[] duplicateKeys) {
        ProcessedRecord out = new ProcessedRecord();
        JsonNode line;
        try {
            line = MAPPER.readTree(stagedLine);
        } catch (IOException e) {
            // The driver wrote this line itself; failing to read it back is a bug, not bad input.
            throw new IllegalStateException("unreadable staged line: " + e.getMessage(), e);
        }
        out.dataset = line.get("dataset").asInt();
        out.recordIndex = line.get("record_index").asLong();
        DatasetSpec ds = datasets.get(out.dataset);
        JsonNode node = line.get("record");
        JsonNode idNode = node.isObject() ? node.get("id") : null;
        if (idNode != null && (idNode.isTextual() || idNode.isIntegralNumber())) {
            out.id = idNode.asText();
        }
        try {
            LlavaRecord rec = LlavaRecord.fromJson(node);
            if (Arrays.binarySearch(duplicateKeys, out.key()) >= 0) {
                throw new RecordRejectedException(
                        RejectReason.DUPLICATE_ID,
                        "id " + rec.id() + " already used by an earlier record of dataset " + ds.name());
            }
            TokenizedSample t = preprocessor(out.dataset, ds).process(rec);
            out.inputIds = t.inputIds();
            out.labels = t.labels();
            out.mismatch = t.mismatch();
            out.nTokens = t.expandedLength();
            out.modalityLength = modalityLength(rec);
            if (rec.hasImage()) {
                out.hasImage = true;
                out.imagePath = rec.image();
                byte[] bytes = readImage(ds, rec.image());
                // A full decode, not a header probe: truncated or corrupt pixel data must be caught here, at
                // shard time, not in the middle of a training step.
                RgbImage img = decoder(out.dataset, ds).decode(bytes, rec.image());
                out.width = img.width();
                out.height = img.height();
                out.image = imageMode == ImageMode.BYTES ? bytes : null;
            }
        } catch (RecordRejectedException e) {
            ProcessedRecord rej = new ProcessedRecord();
            rej.dataset = out.dataset;
            rej.recordIndex = out.recordIndex;
            rej.id = out.id;
            rej.reason = e.reason().name();
            rej.detail = e.detail();
            return rej;
        }
        return out;
    }

    static LlamaTokenizer tokenizer(String dir) {
        return TOKENIZERS.computeIfAbsent(dir, d -> LlamaTokenizer.load(Path.of(d)));
    }

    private SamplePreprocessor preprocessor(int d, DatasetSpec ds) {
        if (preprocessors == null) {
            preprocessors = new SamplePreprocessor[datasets.size()];
        }
        if (preprocessors[d] == null) {
            preprocessors[d] = new SamplePreprocessor(
                    tokenizer(tokenizerDir),
                    new PreprocessConfig(ds.template(), modelMaxLength, mismatchPolicy, imageTokens));
        }
        return preprocessors[d];
    }

    private ImageDecoder decoder(int d, DatasetSpec ds) {
        if (decoders == null) {
            decoders = new ImageDecoder[datasets.size()];
        }
        if (decoders[d] == null) {
            decoders[d] = new ImageDecoder(ds.pixelLimit());
        }
        return decoders[d];
    }

    /**
     * Resolves a record's image path under the dataset's image root. Absolute paths and paths that climb
     * out of the root are refused before touching the filesystem. Symlinks inside the root are followed on
     * purpose: clusters commonly link image folders to shared dataset storage.
     */
    static Path resolveImage(String imageRoot, String image) throws RecordRejectedException {
        Path rel;
        try {
            rel = Path.of(image);
        } catch (InvalidPathException e) {
            throw new RecordRejectedException(RejectReason.IMAGE_PATH_ESCAPES_ROOT, "invalid path " + image);
        }
        Path norm = rel.normalize();
        if (rel.isAbsolute()
                || image.startsWith("/")
                || image.startsWith("\\")
                || image.isBlank()
                || norm.startsWith("..")
                || norm.toString().isEmpty()) {
            throw new RecordRejectedException(
                    RejectReason.IMAGE_PATH_ESCAPES_ROOT,
                    "image path " + image + " is absolute or leaves the image root");
        }
        return Path.of(imageRoot).resolve(norm);
    }

    private static byte[] readImage(DatasetSpec ds, String image) throws RecordRejectedException {
        Path p = resolveImage(ds.imageRoot(), image);
        if (!Files.isRegularFile(p)) {
            throw new RecordRejectedException(RejectReason.MISSING_IMAGE, "no file " + p);
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new RecordRejectedException(RejectReason.MISSING_IMAGE, "cannot read " + p + ": " + e.getMessage());
        }
    }

    /**
     * The reference's modality length: whitespace word count over all turns (Python {@code str.split()}),
     * positive with an image, negative without. A record of only blank turns counts as 1 word so that the
     * grouping's no-zero-length rule holds.
     */
    static int modalityLength(LlavaRecord r) {
        int words = 0;
        for (Turn t : r.conversations()) {
            words += wordCount(t.value());
        }
        words = Math.max(1, words);
        return r.hasImage() ? words : -words;
    }

    static int wordCount(String s) {
        int n = 0;
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean space = Character.isWhitespace(c) || Character.isSpaceChar(c);
            if (!space && !in) {
                n++;
            }
            in = !space;
        }
        return n;
    }
}
