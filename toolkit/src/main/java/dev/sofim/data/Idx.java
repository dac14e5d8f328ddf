package dev.sofim.data;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (raw or gzipped): big-endian int32 magic 2051
 * (images: count, rows, cols, then count·rows·cols unsigned bytes) or 2049 (labels: count, then
 * count unsigned bytes). Every malformed file is a {@link DatasetFormatException} naming it.
 */
public final class Idx {
    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;

    private Idx() {
    }

    /** Images as unsigned bytes, one row per image. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public int pixelsPerImage() {
            return rows * cols;
        }
    }

    /** The file's bytes, gunzipped when the file is gzip (by its magic bytes, not its name). */
    public static byte[] readBytes(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                return in.readAllBytes();
            } catch (EOFException e) {
                throw new DatasetFormatException(file, "truncated gzip stream (" + raw.length + " bytes)");
            } catch (IOException e) {
                throw new DatasetFormatException(file, "corrupt gzip stream: " + e.getMessage());
            }
        }
        return raw;
    }

    public static Images readImages(Path file) throws IOException {
        return parseImages(file, readBytes(file));
    }

    /** Parses unpacked IDX image bytes; {@code file} names them in errors. */
    public static Images parseImages(Path file, byte[] b) throws IOException {
        DataInputStream in = header(file, b, 16, IMAGES_MAGIC);
        int count = in.readInt();
        int rows = in.readInt();
        int cols = in.readInt();
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new DatasetFormatException(file, "bad IDX image header: count=" + count + ", rows=" + rows
                    + ", cols=" + cols);
        }
        long expected = 16L + (long) count * rows * cols;
        checkLength(file, b, expected, count + " images of " + rows + "x" + cols);
        byte[] pixels = new byte[count * rows * cols];
        System.arraycopy(b, 16, pixels, 0, pixels.length);
        return new Images(count, rows, cols, pixels);
    }

    public static byte[] readLabels(Path file) throws IOException {
        return parseLabels(file, readBytes(file));
    }

    /** Parses unpacked IDX label bytes; {@code file} names them in errors. */
    public static byte[] parseLabels(Path file, byte[] b) throws IOException {
        DataInputStream in = header(file, b, 8, LABELS_MAGIC);
        int count = in.readInt();
        if (count < 0) {
            throw new DatasetFormatException(file, "bad IDX label count " + count);
        }
        checkLength(file, b, 8L + count, count + " labels");
        byte[] labels = new byte[count];
        System.arraycopy(b, 8, labels, 0, count);
        return labels;
    }

    private static DataInputStream header(Path file, byte[] b, int size, int magic) throws IOException {
        if (b.length < size) {
            throw new DatasetFormatException(file, "truncated: " + b.length + " bytes, shorter than the "
                    + size + "-byte IDX header");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        int found = in.readInt();
        if (found != magic) {
            throw new DatasetFormatException(file, "bad IDX magic " + found + ", expected " + magic
                    + (magic == IMAGES_MAGIC ? " (images)" : " (labels)"));
        }
        return in;
    }

    private static void checkLength(Path file, byte[] b, long expected, String what) throws IOException {
        if (b.length < expected) {
            throw new DatasetFormatException(file, "truncated: header announces " + what + " (" + expected
                    + " bytes) but the file has " + b.length);
        }
        if (b.length > expected) {
            throw new DatasetFormatException(file, "has " + (b.length - expected) + " trailing bytes after " + what);
        }
    }
}
