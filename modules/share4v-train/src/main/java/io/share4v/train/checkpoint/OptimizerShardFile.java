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
 * {@code exp_avg_sq} of its shard, compact over its element ranges), FLOAT as F32 and DOUBLE as F64, in name
 * order, and string metadata (the optimizer step count and the {@link ShardLayout}: rank, world size, bucket plan
 * parameters, element ranges). Safetensors rather than a format of our own so that {@code safe_open} can inspect a
 * shard, and so that reading reuses the model loader's strict header validation. Reading copies slices into
 * caller-provided tensors (a rank of a resumed run takes from each saved file the elements its new shard holds)
 * and refuses any difference in layout, names, shapes or element types: a silent conversion or a misplaced slice
 * would make a resumed run diverge without a trace.
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
     * Copies this run's slices of the saved shard {@code file} into {@code into} and returns the file's optimizer
     * step count. The file must have the layout this run computes for it ({@code expected}) and hold exactly the
     * tensors of {@code into}, each compact over that layout ({@code [expected.elements()]}, F32 for FLOAT, F64 for
     * DOUBLE). Only the slices of {@code copies} are read, through memory-mapped windows.
     *
     * @param copies the copies from this file ({@link ShardSlices.Copy#source()} is ignored)
     */
    static long readSlices(
            Path file,
            ShardLayout expected,
            List<ShardSlices.Copy> copies,
            Map<String, Tensor> into,
            TensorCopier copier)
            throws IOException {
        SafetensorsReader.Header h = SafetensorsReader.read(file);
        String name = file.toString();
        ShardLayout layout = ShardLayout.fromMetadata(h.metadata(), name);
        String difference = layout.differenceFrom(expected);
        if (difference != null) {
            throw new CheckpointException("optimizer shard " + file + " does not hold what this run computes for"
                    + " rank " + expected.rank() + " of " + expected.world() + ": " + difference);
        }
        Map<String, StoredTensor> stored = new TreeMap<>();
        for (StoredTensor t : h.tensors()) {
            stored.put(t.name(), t);
        }
        List<String> problems = new ArrayList<>();
        if (!stored.keySet().equals(new TreeSet<>(into.keySet()))) {
            problems.add(
                    "holds tensors " + stored.keySet() + " but the optimizer expects " + new TreeSet<>(into.keySet()));
        }
        long[] shape = {expected.elements()};
        for (Map.Entry<String, Tensor> e : new TreeMap<>(into).entrySet()) {
            StoredTensor s = stored.get(e.getKey());
            if (s != null
                    && (!Arrays.equals(s.shape(), shape)
                            || s.dtype() != storedType(e.getValue().dtype()))) {
                problems.add("tensor " + e.getKey() + " is " + s.dtype() + Arrays.toString(s.shape())
                        + " but its ranges need " + storedType(e.getValue().dtype()) + Arrays.toString(shape));
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(
                    "optimizer shard " + file + " does not match this optimizer:\n  " + String.join("\n  ", problems));
        }
        for (Map.Entry<String, Tensor> e : into.entrySet()) {
            StoredTensor s = stored.get(e.getKey());
            int bytes = s.dtype().size();
            for (ShardSlices.Copy c : copies) {
                StoredTensor slice = StoredTensor.contiguous(
                        s.name(), s.dtype(), new long[] {c.length()}, file, s.byteOffset() + c.sourceOffset() * bytes);
                copier.copy(slice, e.getValue().flat(), c.targetOffset());
            }
        }
        return ShardLayout.optimizerStep(h.metadata(), name);
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
