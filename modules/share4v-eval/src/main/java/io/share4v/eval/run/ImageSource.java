package io.share4v.eval.run;

import io.share4v.data.image.ImageDecoder;
import io.share4v.data.image.RgbImage;
import io.share4v.data.record.RecordRejectedException;
import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

/** Where a question's image comes from: a file under the benchmark's image folder, or base64 in the question file. */
public sealed interface ImageSource {
    /** Decodes the image to RGB as the reference does ({@code Image.open(...).convert('RGB')}). */
    RgbImage decode(ImageDecoder decoder, Path imageFolder);

    /** For messages: the file or the record the image is in. */
    String describe(Path imageFolder);

    /**
     * {@code relativePath} under the image folder ({@code os.path.join(image_folder, image)}; Q-Bench concatenates
     * strings, which is the same for a folder given with or without its trailing slash).
     */
    record InFolder(String relativePath) implements ImageSource {
        public InFolder {
            if (relativePath == null || relativePath.isEmpty()) {
                throw new IllegalArgumentException("image path is empty");
            }
        }

        public Path resolve(Path imageFolder) {
            return imageFolder == null ? Path.of(relativePath) : imageFolder.resolve(relativePath);
        }

        @Override
        public RgbImage decode(ImageDecoder decoder, Path imageFolder) {
            Path file = resolve(imageFolder);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new EvalInputException("image " + file + " not found", e);
            } catch (IOException e) {
                throw new EvalInputException("image " + file + " cannot be read (" + e.getMessage() + ")", e);
            }
            try {
                return decoder.decode(bytes, file.toString());
            } catch (RecordRejectedException e) {
                throw new EvalInputException("image " + file + ": " + e.reason() + ": " + e.detail(), e);
            }
        }

        @Override
        public String describe(Path imageFolder) {
            return resolve(imageFolder).toString();
        }
    }

    /** An image carried in the question file (MMBench's TSV {@code image} column); {@code where} names the row. */
    record Base64Data(String data, String where) implements ImageSource {
        @Override
        public RgbImage decode(ImageDecoder decoder, Path imageFolder) {
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new EvalInputException(where + ": the image is not valid base64 (" + e.getMessage() + ")", e);
            }
            try {
                return decoder.decode(bytes, where);
            } catch (RecordRejectedException e) {
                throw new EvalInputException(where + ": " + e.reason() + ": " + e.detail(), e);
            }
        }

        @Override
        public String describe(Path imageFolder) {
            return where;
        }
    }
}
