package io.share4v.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive as PyTorch's writer produces it (every entry STORED, ZIP64 records
 * when the archive passes 4 GiB), giving each entry's absolute data offset so storages can be memory-mapped
 * in place. {@code java.util.zip.ZipFile} reads entries only through streams and does not expose where the
 * data lies, which would force a heap copy of multi-GB shards.
 */
final class ZipDirectory {
    /** One stored entry: its data occupies {@code [dataOffset, dataOffset + size)} of the file. */
    record Entry(String name, long dataOffset, long size) {}

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;

    private ZipDirectory() {}

    static Map<String, Entry> read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            int tail = (int) Math.min(size, 22 + 65535);
            ByteBuffer t = readAt(ch, size - tail, tail);
            int eocd = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (t.getInt(i) == EOCD) {
                    eocd = i;
                    break;
                }
            }
            if (eocd < 0) {
                throw bad(file, "has no zip end-of-central-directory record (truncated or not a zip archive)");
            }
            long entries = t.getShort(eocd + 10) & 0xFFFF;
            long cdSize = t.getInt(eocd + 12) & 0xFFFFFFFFL;
            long cdOffset = t.getInt(eocd + 16) & 0xFFFFFFFFL;
            long eocdAbs = size - tail + eocd;
            if (entries == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
                if (eocdAbs < 20) {
                    throw bad(file, "needs a ZIP64 locator that is missing");
                }
                ByteBuffer loc = readAt(ch, eocdAbs - 20, 20);
                if (loc.getInt(0) != ZIP64_LOCATOR) {
                    throw bad(file, "needs a ZIP64 locator that is missing");
                }
                long z64 = loc.getLong(8);
                ByteBuffer z = readAt(ch, z64, 56);
                if (z.getInt(0) != ZIP64_EOCD) {
                    throw bad(file, "has a broken ZIP64 end-of-central-directory record");
                }
                entries = z.getLong(32);
                cdSize = z.getLong(40);
                cdOffset = z.getLong(48);
            }
            if (cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
                throw bad(file, "has a central directory outside the file (truncated?)");
            }
            ByteBuffer cd = readAt(ch, cdOffset, (int) cdSize);
            Map<String, Entry> out = new LinkedHashMap<>();
            int p = 0;
            for (long i = 0; i < entries; i++) {
                if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL) {
                    throw bad(file, "has a corrupt central directory at entry " + i);
                }
                int method = cd.getShort(p + 10) & 0xFFFF;
                long csize = cd.getInt(p + 20) & 0xFFFFFFFFL;
                long usize = cd.getInt(p + 24) & 0xFFFFFFFFL;
                int nameLen = cd.getShort(p + 28) & 0xFFFF;
                int extraLen = cd.getShort(p + 30) & 0xFFFF;
                int commentLen = cd.getShort(p + 32) & 0xFFFF;
                long localOff = cd.getInt(p + 42) & 0xFFFFFFFFL;
                byte[] nb = new byte[nameLen];
                cd.get(p + 46, nb);
                String name = new String(nb, StandardCharsets.UTF_8);
                int x = p + 46 + nameLen;
                int xEnd = x + extraLen;
                while (x + 4 <= xEnd) { // ZIP64 extra field: only the fields saturated above are present
                    int id = cd.getShort(x) & 0xFFFF;
                    int len = cd.getShort(x + 2) & 0xFFFF;
                    if (id == 0x0001) {
                        int q = x + 4;
                        if (usize == 0xFFFFFFFFL) {
                            usize = cd.getLong(q);
                            q += 8;
                        }
                        if (csize == 0xFFFFFFFFL) {
                            csize = cd.getLong(q);
                            q += 8;
                        }
                        if (localOff == 0xFFFFFFFFL) {
                            localOff = cd.getLong(q);
                        }
                    }
                    x += 4 + len;
                }
                p = xEnd + commentLen;
                if (method != 0 || csize != usize) {
                    throw bad(
                            file,
                            "entry " + name + " is compressed (method " + method
                                    + "); PyTorch archives store entries uncompressed");
                }
                ByteBuffer lh = readAt(ch, localOff, 30);
                if (lh.getInt(0) != LOCAL) {
                    throw bad(file, "entry " + name + " has no local header at " + localOff);
                }
                long dataOff = localOff + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
                if (dataOff + usize > size) {
                    throw bad(file, "entry " + name + " runs past the end of the file (truncated?)");
                }
                out.put(name, new Entry(name, dataOff, usize));
            }
            return out;
        }
    }

    private static ByteBuffer readAt(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (pos + b.position()));
            }
        }
        return b.flip();
    }

    private static CheckpointException bad(Path file, String why) {
        return new CheckpointException("PyTorch zip checkpoint " + file + " " + why);
    }
}
