package io.share4v.model.io;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.share4v.tensor.ParamLayout;
import io.share4v.tensor.Tensor;
import io.share4v.tensor.backend.Backend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes one {@code .safetensors} file from tensors of a flat buffer, byte for byte as the reference Rust
 * library ({@code safetensors.torch.save_file}) lays it out: tensors ordered by dtype (descending, in the
 * library's enum order) then name; compact JSON header with {@code __metadata__} first and each tensor as
 * {@code {"dtype","shape","data_offsets"}} in data order; header padded with spaces to a multiple of 8.
 * Data streams from the buffer through the backend's download to the file (F32 from a FLOAT buffer without conversion;
 * BF16 rounded to nearest even, as {@code tensor.to(torch.bfloat16)} does).
 */
public final class SafetensorsWriter {
    /** One tensor to write: {@code name} takes the layout entry {@code source} of the buffer. */
    public record Item(String name, ParamLayout.Entry source) {}

    private static final int CONVERT_CHUNK = 1 << 20; // elements per conversion pass

    private SafetensorsWriter() {}

    /**
     * Writes {@code items} of {@code flat} (a FLOAT or DOUBLE vector of {@code backend}) to {@code file} as
     * {@code dtype} (F32 or BF16), metadata {"format":"pt"}.
     */
    public static void write(Path file, List<Item> items, Backend backend, Tensor flat, DType dtype)
            throws IOException {
        if (dtype != DType.F32 && dtype != DType.BF16) {
            throw new IllegalArgumentException("writing " + dtype + " is not supported; use F32 or BF16");
        }
        boolean fromFloat = flat.dtype() == io.share4v.tensor.DType.FLOAT;
        if (flat.rank() != 1 || (!fromFloat && flat.dtype() != io.share4v.tensor.DType.DOUBLE)) {
            throw new IllegalArgumentException("flat parameter buffer must be a FLOAT or DOUBLE vector, got " + flat);
        }
        List<Item> sorted = new ArrayList<>(items);
        // One dtype per file, so the library's (dtype desc, name) order is the name order (UTF-8 bytes =
        // UTF-16 order for names without surrogates).
        sorted.sort(Comparator.comparing(Item::name));
        byte[] header = header(sorted, dtype);
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(ch, len);
            writeFully(ch, ByteBuffer.wrap(header));
            // The elements come to the host through the backend a chunk at a time; F32 from FLOAT is written as
            // it arrives, anything else is converted into a second buffer first.
            ByteBuffer host = ByteBuffer.allocateDirect(
                            CONVERT_CHUNK * flat.dtype().bytes())
                    .order(ByteOrder.LITTLE_ENDIAN);
            boolean verbatim = dtype == DType.F32 && fromFloat;
            ByteBuffer converted = verbatim
                    ? null
                    : ByteBuffer.allocateDirect(CONVERT_CHUNK * dtype.size()).order(ByteOrder.LITTLE_ENDIAN);
            for (Item it : sorted) {
                long off = it.source().offset();
                long n = it.source().size();
                for (long done = 0; done < n; done += CONVERT_CHUNK) {
                    int count = (int) Math.min(CONVERT_CHUNK, n - done);
                    host.clear();
                    backend.download(host, flat.slice(off + done, count));
                    host.flip();
                    if (verbatim) {
                        writeFully(ch, host);
                        continue;
                    }
                    converted.clear();
                    for (int i = 0; i < count; i++) {
                        float f = fromFloat ? host.getFloat(i * 4) : (float) host.getDouble(i * 8);
                        if (dtype == DType.F32) {
                            converted.putFloat(f);
                        } else {
                            converted.putShort(toBf16(f));
                        }
                    }
                    converted.flip();
                    writeFully(ch, converted);
                }
            }
        }
    }

    /** float32 -> bfloat16 bits, round to nearest even; NaN stays a (quiet) NaN, as in c10::BFloat16. */
    static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) 0x7FC0;
        }
        int bias = 0x7FFF + ((bits >>> 16) & 1);
        return (short) ((bits + bias) >>> 16);
    }

    static byte[] header(List<Item> sorted, DType dtype) {
        StringBuilder sb = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        JsonStringEncoder enc = JsonStringEncoder.getInstance();
        for (Item it : sorted) {
            long bytes = it.source().size() * dtype.size();
            sb.append(",\"")
                    .append(enc.quoteAsString(it.name()))
                    .append("\":{\"dtype\":\"")
                    .append(dtype.name())
                    .append("\",\"shape\":[");
            long[] shape = it.source().shape();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : ",").append(shape[i]);
            }
            sb.append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + bytes)
                    .append("]}");
            offset += bytes;
        }
        sb.append('}');
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            sb.append(' ');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
