package io.share4v.train.checkpoint;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.share4v.model.io.CheckpointException;
import io.share4v.model.io.SafetensorsReader;
import io.share4v.model.io.StoredTensor;
import io.share4v.model.io.TensorCopier;
import io.share4v.tensor.DType;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One rank's optimizer state as a {@code .safetensors} file: the named tensors it owns (e.g. {@code exp_avg},
 * {@code exp_avg_sq} of its shard), FLOAT as F32 and DOUBLE as F64, in name order, and string metadata (the
 * optimizer step count, the rank). Safetensors rather than a format of our own so that {@code safe_open} can
 * inspect a shard, and so that reading reuses the model loader's strict header validation. Reading fills
 * caller-provided tensors and refuses any difference in names, shapes or element types: a silent conversion or
 * a partial fill would make a resumed run diverge without a trace.
 */
final class OptimizerShardFile {
    /** Elements per host transfer while writing (4 MiB of FLOAT). */
    private static final int CHUNK = 1 << 20;

    private OptimizerShardFile() {}

    /** Writes {@code tensors} (downloaded through {@code backend}) and {@code metadata} to {@code out}. */
    static void write(OutputStream out, Map<String, Tensor> tensors, Map<String, String> metadata, Backend backend)
            throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        byte[] header = header(sorted, metadata);
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
        out.write(len.array());
        out.write(header);
        ByteBuffer host =
                ByteBuffer.allocateDirect(CHUNK * DType.DOUBLE.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        byte[] heap = new byte[host.capacity()];
        for (Tensor t : sorted.values()) {
            Tensor flat = t.flat();
            for (long done = 0; done < flat.length(); done += CHUNK) {
                int count = (int) Math.min(CHUNK, flat.length() - done);
                host.clear();
                backend.download(host, flat.slice(done, count));
                host.flip();
                int bytes = host.remaining();
                host.get(heap, 0, bytes);
                out.write(heap, 0, bytes);
            }
        }
    }

    /**
     * Reads {@code file} into {@code into} (same names, shapes and element types as were written) and returns
     * the file's metadata.
     */
    static Map<String, String> read(Path file, Map<String, Tensor> into, Backend backend) throws IOException {
        SafetensorsReader.Header h = SafetensorsReader.read(file);
        Map<String, StoredTensor> stored = new TreeMap<>();
        for (StoredTensor t : h.tensors()) {
            stored.put(t.name(), t);
        }
        List<String> problems = new ArrayList<>();
        if (!stored.keySet().equals(new TreeSet<>(into.keySet()))) {
            problems.add(
                    "holds tensors " + stored.keySet() + " but the optimizer expects " + new TreeSet<>(into.keySet()));
        }
        for (Map.Entry<String, Tensor> e : new TreeMap<>(into).entrySet()) {
            StoredTensor s = stored.get(e.getKey());
            Tensor t = e.getValue();
            if (s == null) {
                continue;
            }
            if (!Arrays.equals(s.shape(), t.shape()) || s.dtype() != storedType(t.dtype())) {
                problems.add("tensor " + e.getKey() + " is " + s.dtype() + Arrays.toString(s.shape())
                        + " but the optimizer expects " + storedType(t.dtype()) + Arrays.toString(t.shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    "optimizer shard " + file + " does not match this optimizer:\n  " + String.join("\n  ", problems));
        }
        TensorCopier copier = new TensorCopier(backend);
        for (Map.Entry<String, Tensor> e : into.entrySet()) {
            copier.copy(stored.get(e.getKey()), e.getValue().flat(), 0);
        }
        return h.metadata();
    }

    private static io.share4v.model.io.DType storedType(DType t) {
        return switch (t) {
            case FLOAT -> io.share4v.model.io.DType.F32;
            case DOUBLE -> io.share4v.model.io.DType.F64;
        };
    }

    /** The safetensors header: compact JSON, {@code __metadata__} first, padded with spaces to 8 bytes. */
    private static byte[] header(Map<String, Tensor> sorted, Map<String, String> metadata) {
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        StringBuilder sb = new StringBuilder("{\"__metadata__\":{");
        String sep = "";
        for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
            sb.append(sep)
                    .append('"')
                    .append(enc.quoteAsString(m.getKey()))
                    .append("\":\"")
                    .append(enc.quoteAsString(m.getValue()))
                    .append('"');
            sep = ",";
        }
        sb.append('}');
        long offset = 0;
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            sb.append(",\"")
                    .append(enc.quoteAsString(e.getKey()))
                    .append("\":{\"dtype\":\"")
                    .append(storedType(t.dtype()).name())
                    .append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ",").append(shape[i]);
            }
            sb.append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + t.bytes())
                    .append("]}");
            offset += t.bytes();
        }
        sb.append('}');
        byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (b.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(b, padded);
        Arrays.fill(out, b.length, padded, (byte) ' ');
        return out;
    }
}
