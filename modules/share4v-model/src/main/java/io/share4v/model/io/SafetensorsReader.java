package io.share4v.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.share4v.common.json.JsonFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of one {@code .safetensors} file (8-byte little-endian header length, UTF-8 JSON header,
 * byte buffer) and validates it as strictly as the reference library: every tensor has a known dtype, a
 * non-negative shape, and {@code data_offsets} whose span equals shape x dtype size; the spans tile the byte
 * buffer from 0 to the end of the file with no gap or overlap. Tensor data is not read here.
 */
public final class SafetensorsReader {
    /** The reference library refuses headers over 100 MB (a 7B model's header is ~30 kB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    private SafetensorsReader() {}

    /** A parsed header: tensors in file order and the free-form {@code __metadata__} map. */
    public record Header(Path file, List<StoredTensor> tensors, Map<String, String> metadata, long dataStart) {}

    public static Header read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(
                        file,
                        "is " + size + " bytes, shorter than the 8-byte header length (truncated or not safetensors)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER_BYTES) {
                throw bad(
                        file,
                        "declares a header of " + Long.toUnsignedString(n) + " bytes; expected 2.." + MAX_HEADER_BYTES
                                + " (not a safetensors file?)");
            }
            if (8 + n > size) {
                throw bad(
                        file,
                        "declares a header of " + n + " bytes but the file has only " + (size - 8)
                                + " after the length (truncated file?)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(hb.flip())
                        .toString();
            } catch (CharacterCodingException e) {
                throw bad(file, "has a header that is not valid UTF-8");
            }
            JsonNode root;
            try {
                root = JsonFile.strictReader().readTree(text);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw bad(file, "has a header that is not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw bad(file, "has a header that is not a JSON object");
            }
            return parse(file, root, 8 + n, size);
        }
    }

    private static Header parse(Path file, JsonNode root, long dataStart, long fileSize) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> spans = new ArrayList<>();
        List<StoredTensor> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) {
                    throw bad(file, "has __metadata__ that is not an object of strings");
                }
                v.fields().forEachRemaining(m -> {
                    if (!m.getValue().isTextual()) {
                        throw bad(file, "has __metadata__." + m.getKey() + " that is not a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                });
                continue;
            }
            if (!v.isObject()) {
                throw badTensor(file, name, "header entry is not an object");
            }
            for (Iterator<String> k = v.fieldNames(); k.hasNext(); ) {
                String key = k.next();
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw badTensor(file, name, "unknown header key \"" + key + "\"");
                }
            }
            JsonNode dt = v.get("dtype");
            if (dt == null || !dt.isTextual()) {
                throw badTensor(file, name, "missing string \"dtype\"");
            }
            DType dtype;
            try {
                dtype = DType.fromSafetensors(dt.asText());
            } catch (IllegalArgumentException ex) {
                throw badTensor(file, name, ex.getMessage());
            }
            long[] shape = longs(file, name, v.get("shape"), "shape", -1);
            long[] offs = longs(file, name, v.get("data_offsets"), "data_offsets", 2);
            long numel;
            long bytes;
            try {
                numel = StoredTensor.numel(shape);
                bytes = Math.multiplyExact(numel, dtype.size());
            } catch (ArithmeticException ex) {
                throw badTensor(file, name, "shape " + Arrays.toString(shape) + " overflows");
            }
            if (offs[1] < offs[0]) {
                throw badTensor(file, name, "data_offsets " + Arrays.toString(offs) + " end before they begin");
            }
            if (offs[1] - offs[0] != bytes) {
                throw badTensor(
                        file,
                        name,
                        "data_offsets " + Arrays.toString(offs) + " span " + (offs[1] - offs[0]) + " bytes but shape "
                                + Arrays.toString(shape) + " x " + dtype + " needs " + bytes);
            }
            spans.add(new long[] {offs[0], offs[1], tensors.size()});
            tensors.add(StoredTensor.contiguous(name, dtype, shape, file, dataStart + offs[0]));
        }
        spans.sort(Comparator.comparingLong((long[] s) -> s[0]).thenComparingLong(s -> s[1]));
        long expect = 0;
        for (long[] s : spans) {
            String name = tensors.get((int) s[2]).name();
            if (s[0] != expect) {
                throw badTensor(
                        file,
                        name,
                        "data_offsets start at " + s[0] + " but the previous tensor ends at " + expect
                                + (s[0] < expect ? " (overlap)" : " (gap)"));
            }
            expect = s[1];
        }
        long dataBytes = fileSize - dataStart;
        if (expect != dataBytes) {
            throw bad(
                    file,
                    "tensors cover " + expect + " data bytes but the file holds " + dataBytes
                            + (expect > dataBytes ? " (truncated file?)" : " (trailing bytes)"));
        }
        List<StoredTensor> ordered = new ArrayList<>();
        for (long[] s : spans) {
            ordered.add(tensors.get((int) s[2]));
        }
        return new Header(file, List.copyOf(ordered), Map.copyOf(metadata), dataStart);
    }

    private static long[] longs(Path file, String name, JsonNode node, String key, int arity) {
        if (node == null || !node.isArray() || (arity >= 0 && node.size() != arity)) {
            throw badTensor(
                    file,
                    name,
                    "\"" + key + "\" must be an array" + (arity >= 0 ? " of " + arity : "")
                            + " of non-negative integers, got " + node);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = node.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToLong() || x.asLong() < 0) {
                throw badTensor(file, name, "\"" + key + "\" must hold non-negative integers, got " + node);
            }
            out[i] = x.asLong();
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static CheckpointException bad(Path file, String why) {
        return new CheckpointException("safetensors file " + file + " " + why);
    }

    private static CheckpointException badTensor(Path file, String tensor, String why) {
        return new CheckpointException("safetensors file " + file + ", tensor " + tensor + ": " + why);
    }
}
