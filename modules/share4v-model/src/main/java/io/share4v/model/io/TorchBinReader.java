package io.share4v.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the tensor directory of a PyTorch {@code torch.save} zip archive ({@code pytorch_model*.bin},
 * {@code mm_projector.bin}): {@code <prefix>/data.pkl} is run through {@link RestrictedUnpickler}, and each
 * tensor becomes a {@link StoredTensor} pointing into the STORED entry {@code <prefix>/data/<key>} of its
 * storage, with PyTorch's offset and strides, so views and shared storages load as PyTorch would see them.
 * The pre-1.6 non-zip format is refused: its storages are interleaved with pickles and not mappable.
 */
public final class TorchBinReader {
    private TorchBinReader() {}

    /** The tensors of {@code file} in pickle order. */
    public static List<StoredTensor> read(Path file) throws IOException {
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(magic, 0, 4);
            if (n < 4) {
                throw new CheckpointException(
                        "PyTorch checkpoint " + file + " has only " + n + " bytes (truncated or empty)");
            }
        }
        if (!(magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4)) {
            if ((magic[0] & 0xFF) == 0x80) {
                throw new CheckpointException("PyTorch checkpoint " + file + " uses the legacy (pre-1.6, non-zip) "
                        + "torch.save format, which is not supported: re-save it with a current torch.save "
                        + "(_use_new_zipfile_serialization=True, the default since 1.6) or convert it to safetensors");
            }
            throw new CheckpointException("PyTorch checkpoint " + file + " is not a zip archive (first bytes "
                    + String.format("%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3]) + ")");
        }
        Map<String, ZipDirectory.Entry> entries = ZipDirectory.read(file);
        String prefix = null;
        for (String name : entries.keySet()) {
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                prefix = name.substring(0, name.length() - "data.pkl".length());
                break;
            }
        }
        if (prefix == null) {
            throw new CheckpointException("PyTorch checkpoint " + file + " has no <archive>/data.pkl entry");
        }
        ZipDirectory.Entry order = entries.get(prefix + "byteorder");
        if (order != null) {
            String bo = new String(readEntry(file, order), StandardCharsets.US_ASCII).trim();
            if (!bo.equals("little")) {
                throw new CheckpointException("PyTorch checkpoint " + file + " was written " + bo
                        + "-endian; only little-endian archives are supported");
            }
        }
        ZipDirectory.Entry pkl = entries.get(prefix + "data.pkl");
        Object root;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, pkl.dataOffset(), pkl.size());
            root = RestrictedUnpickler.load(file + "!" + pkl.name(), buf);
        }
        if (!(root instanceof Map<?, ?> dict)) {
            throw new CheckpointException("PyTorch checkpoint " + file + " holds "
                    + (root == null ? "None" : root.getClass().getSimpleName())
                    + ", expected a state dict (a dict of name -> tensor)");
        }
        List<StoredTensor> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new CheckpointException("PyTorch checkpoint " + file + " has a non-string key " + e.getKey());
            }
            if (!(e.getValue() instanceof RestrictedUnpickler.TensorRef t)) {
                throw new CheckpointException(
                        "PyTorch checkpoint " + file + ", entry " + name + " is not a tensor (" + e.getValue() + ")");
            }
            ZipDirectory.Entry data = entries.get(prefix + "data/" + t.storage().key());
            if (data == null) {
                throw new CheckpointException("PyTorch checkpoint " + file + ", tensor " + name + ": storage entry "
                        + prefix + "data/" + t.storage().key() + " is missing");
            }
            long storageBytes = t.storage().numel() * t.storage().dtype().size();
            if (data.size() < storageBytes) {
                throw new CheckpointException("PyTorch checkpoint " + file + ", tensor " + name + ": storage "
                        + t.storage().key() + " has " + data.size() + " bytes, the pickle declares " + storageBytes);
            }
            if (t.offset() < 0 || t.offset() > t.storage().numel()) {
                throw new CheckpointException("PyTorch checkpoint " + file + ", tensor " + name + ": storage offset "
                        + t.offset() + " outside a storage of " + t.storage().numel());
            }
            long dtSize = t.storage().dtype().size();
            out.add(new StoredTensor(
                    name,
                    t.storage().dtype(),
                    t.size(),
                    t.stride(),
                    file,
                    data.dataOffset() + t.offset() * dtSize,
                    t.storage().numel() - t.offset()));
        }
        return out;
    }

    private static byte[] readEntry(Path file, ZipDirectory.Entry e) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate((int) Math.min(e.size(), 64));
            ch.read(b, e.dataOffset());
            return java.util.Arrays.copyOf(b.array(), b.position());
        }
    }
}
