package io.share4v.train.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The file operations of the checkpoint store over one Hadoop {@link FileSystem}, with a local fast path. The
 * model writer and the safetensors reader work on local files; on a local file system they work in place, on
 * any other (HDFS, ...) through a local staging directory that is copied up or down and deleted afterwards.
 * Local paths go through the raw local file system: the checksummed one would put {@code .crc} side files into
 * the HF directories, and safetensors files validate their own headers.
 */
final class StoreFiles {
    private final FileSystem fs;
    private final java.nio.file.Path scratch;

    /** @param scratch local directory for staging when {@code fs} is not local */
    StoreFiles(FileSystem fs, java.nio.file.Path scratch) {
        this.fs = fs instanceof LocalFileSystem l ? l.getRawFileSystem() : fs;
        this.scratch = scratch;
    }

    FileSystem fs() {
        return fs;
    }

    /** The local file behind {@code p}, or null when the file system is not local. */
    java.nio.file.Path local(Path p) {
        return fs instanceof RawLocalFileSystem raw ? raw.pathToFile(p).toPath() : null;
    }

    /** Children of {@code dir}; none when it does not exist. */
    List<FileStatus> list(Path dir) throws IOException {
        try {
            return List.of(fs.listStatus(dir));
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }

    boolean exists(Path p) throws IOException {
        return fs.exists(p);
    }

    void mkdirs(Path dir) throws IOException {
        if (!fs.mkdirs(dir)) {
            throw new IOException("cannot create directory " + dir);
        }
    }

    /** Renames or fails with both names (Hadoop's rename reports most failures as {@code false}). */
    void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to);
        }
    }

    void deleteRecursively(Path p) throws IOException {
        if (fs.exists(p) && !fs.delete(p, true)) {
            throw new IOException("cannot delete " + p);
        }
    }

    OutputStream create(Path file) throws IOException {
        return fs.create(file, true);
    }

    /** Creates an empty file that must not exist yet (the commit marker). */
    void createNew(Path file) throws IOException {
        fs.create(file, false).close();
    }

    void writeString(Path file, String text) throws IOException {
        try (OutputStream out = create(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    String readString(Path file) throws IOException {
        try (var in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Something written into a local directory. */
    interface LocalWrite {
        void to(java.nio.file.Path dir) throws IOException;
    }

    /** Something read from a local file or directory. */
    interface LocalRead<T> {
        T from(java.nio.file.Path path) throws IOException;
    }

    /** Lets {@code write} fill the directory {@code dst} (which must not exist): in place, or staged and uploaded. */
    void writeDirectory(Path dst, LocalWrite write) throws IOException {
        java.nio.file.Path local = local(dst);
        if (local != null) {
            write.to(local);
            return;
        }
        java.nio.file.Path stage = newStagingDir();
        try {
            write.to(stage);
            fs.copyFromLocalFile(false, true, new Path(stage.toUri()), dst);
        } finally {
            deleteLocal(stage);
        }
    }

    /** Runs {@code read} on the local copy of {@code src} (a file or a directory). */
    <T> T readLocal(Path src, LocalRead<T> read) throws IOException {
        java.nio.file.Path local = local(src);
        if (local != null) {
            return read.from(local);
        }
        java.nio.file.Path stage = newStagingDir();
        try {
            java.nio.file.Path copy = stage.resolve(src.getName());
            fs.copyToLocalFile(false, src, new Path(copy.toUri()), true);
            return read.from(copy);
        } finally {
            deleteLocal(stage);
        }
    }

    /**
     * Makes {@code dst} hold the files of {@code src}: hard links on a local file system (committed checkpoint
     * files are never modified, only deleted, and a link keeps the data when the checkpoint is pruned), a copy
     * elsewhere.
     */
    void linkOrCopyTree(Path src, Path dst, Configuration conf) throws IOException {
        java.nio.file.Path from = local(src);
        java.nio.file.Path to = local(dst);
        if (from == null || to == null) {
            if (!FileUtil.copy(fs, src, fs, dst, false, true, conf)) {
                throw new IOException("cannot copy " + src + " to " + dst);
            }
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(java.nio.file.Path d, BasicFileAttributes a) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(java.nio.file.Path f, BasicFileAttributes a) throws IOException {
                java.nio.file.Path target = to.resolve(from.relativize(f));
                try {
                    Files.createLink(target, f);
                } catch (UnsupportedOperationException | IOException e) {
                    Files.copy(f, target); // another device, or no hard links on this file system
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private java.nio.file.Path newStagingDir() throws IOException {
        Files.createDirectories(scratch);
        return Files.createDirectory(scratch.resolve("share4v-checkpoint-" + UUID.randomUUID()));
    }

    private static void deleteLocal(java.nio.file.Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(java.nio.file.Path f, BasicFileAttributes a) throws IOException {
                Files.delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(java.nio.file.Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
