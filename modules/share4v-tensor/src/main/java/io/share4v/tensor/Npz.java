package io.share4v.tensor;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Writes and reads NumPy {@code .npz} archives as {@code np.savez} makes them: a zip whose entries are
 * {@code <name>.npy} files, stored (not deflated). {@code np.load(path)} gives a mapping from name to array.
 * Hand-written for the same reason as {@link Npy}; the zip itself is the JDK's.
 */
public final class Npz {
    private Npz() {}

    /**
     * Collects named float32 arrays and writes them as one archive. Names are the keys {@code np.load} shows
     * (the entry is {@code name + ".npy"}); a scalar has shape {@code []}.
     */
    public static final class Writer {
        private final Map<String, Npy.FloatArray> arrays = new LinkedHashMap<>();

        public Writer addFloat32(String name, int[] shape, float[] data) {
            if (name == null || name.isEmpty() || name.contains("/")) {
                throw new IllegalArgumentException(
                        "npz entry name '" + name + "' is invalid: expected a non-empty" + " name without '/'");
            }
            if (arrays.put(name, new Npy.FloatArray(shape.clone(), data)) != null) {
                throw new IllegalArgumentException("npz entry '" + name + "' was added twice");
            }
            return this;
        }

        /** Writes the archive to {@code file} (via a temporary file in the same folder, then a rename). */
        public void write(Path file) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    write(out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** Writes the archive to {@code out} (not closed). */
        public void write(OutputStream out) throws IOException {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, Npy.FloatArray> e : arrays.entrySet()) {
                ByteArrayOutputStream npy = new ByteArrayOutputStream();
                Npy.writeFloat32(npy, e.getValue().shape(), e.getValue().data());
                byte[] bytes = npy.toByteArray();
                // STORED entries need their size and CRC before the data, as np.savez's zipfile writes them.
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            zip.finish();
        }
    }

    public static Writer writer() {
        return new Writer();
    }

    /** Every float32 entry of {@code file} by name (without {@code .npy}); other dtypes are an error. */
    public static Map<String, Npy.FloatArray> readFloat32(Path file) throws IOException {
        Map<String, Npy.FloatArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (!e.getName().endsWith(".npy")) {
                    throw new IOException(file + ": entry " + e.getName() + " is not an .npy file");
                }
                Path tmp = Files.createTempFile("npz-entry", ".npy");
                try {
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    }
                    String name = e.getName().substring(0, e.getName().length() - 4);
                    try {
                        out.put(name, Npy.readFloat32(tmp));
                    } catch (IOException bad) {
                        throw new IOException(file + ": entry " + e.getName() + ": " + bad.getMessage(), bad);
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
        return out;
    }
}
