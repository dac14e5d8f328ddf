package dev.sofim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IDX parsing and the MNIST resolution order: checksums, truncation, bad magic, cache hygiene. */
class IdxLoadingTest {

    static byte[] images(int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count * rows * cols; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    @Test
    void parsesImagesAndLabels(@TempDir Path dir) throws IOException {
        Idx.Images im = Idx.parseImages(dir.resolve("x"), images(3, 2, 4));
        assertEquals(3, im.count());
        assertEquals(2, im.rows());
        assertEquals(4, im.cols());
        assertEquals((byte) 7, im.pixels()[1]);
        byte[] labels = ByteBuffer.allocate(8 + 3).putInt(Idx.LABELS_MAGIC).putInt(3).put(new byte[] {1, 2, 9}).array();
        assertArrayEquals(new byte[] {1, 2, 9}, Idx.parseLabels(dir.resolve("y"), labels));
    }

    @Test
    void gzipIsRecognizedByItsMagic(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(images(2, 3, 3));
        }
        Path f = dir.resolve("imgs.gz");
        Files.write(f, out.toByteArray());
        assertEquals(2, Idx.readImages(f).count());
        Files.write(f, Arrays.copyOf(out.toByteArray(), out.size() - 12));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }

    @Test
    void truncatedFileIsRejectedNamingIt(@TempDir Path dir) {
        Path f = dir.resolve("train-images-idx3-ubyte");
        byte[] b = images(5, 28, 28);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Idx.parseImages(f, Arrays.copyOf(b, b.length - 100)));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertThrows(DatasetFormatException.class, () -> Idx.parseImages(f, Arrays.copyOf(b, 10)));
    }

    @Test
    void badMagicIsRejected(@TempDir Path dir) {
        byte[] b = images(2, 2, 2);
        b[3] = 0x01;
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.parseImages(dir.resolve("f"), b));
        assertTrue(e.getMessage().contains("bad IDX magic"), e.getMessage());
        DatasetFormatException l = assertThrows(DatasetFormatException.class,
                () -> Idx.parseLabels(dir.resolve("f"), images(1, 1, 1)));
        assertTrue(l.getMessage().contains("bad IDX magic"), l.getMessage());
    }

    @Test
    void trailingBytesAreRejected(@TempDir Path dir) {
        byte[] b = Arrays.copyOf(images(2, 2, 2), 16 + 8 + 1);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Idx.parseImages(dir.resolve("f"), b));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    /** A real MNIST file with one flipped byte: the checksum names the file, expected and actual. */
    @Test
    void wrongChecksumInExplicitFolderNamesTheFile(@TempDir Path dir) throws IOException {
        Path real = new IdxLoader(IdxBenchmark.MNIST, null).install();
        for (String f : IdxBenchmark.MNIST.files()) {
            Files.copy(real.resolve(f), dir.resolve(f));
        }
        Path bad = dir.resolve("t10k-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(bad);
        b[100] ^= 1;
        Files.write(bad, b);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> new IdxLoader(IdxBenchmark.MNIST, dir).load());
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("SHA-256 mismatch")
                && e.getMessage().contains(IdxBenchmark.MNIST.sha256("t10k-labels-idx1-ubyte")), e.getMessage());
    }

    /** A corrupt file in the cache is deleted, and the loader goes on down the resolution order. */
    @Test
    void corruptCacheFileIsDeleted(@TempDir Path home) throws IOException {
        Path cached = home.resolve("fashion-mnist").resolve("t10k-labels-idx1-ubyte");
        Files.createDirectories(cached.getParent());
        Files.write(cached, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        IdxLoader loader = new IdxLoader(IdxBenchmark.FASHION_MNIST, null, home, false);
        if (Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))) {
            assertEquals(10_000, loader.load().test().size(), "fell back to the Debian package");
        } else {
            assertThrows(FileNotFoundException.class, loader::load);
        }
        assertFalse(Files.exists(cached), "the corrupt cache file must be gone");
    }

    /**
     * One flipped byte in the cache, nothing else to fall back on (no package folders, offline): the error names
     * the corrupt file, its checksum mismatch, that it was removed, and the command that restores it offline.
     */
    @Test
    void aCorruptCacheFileIsNamedWithTheOfflineRepair(@TempDir Path home) throws IOException {
        Path cached = home.resolve("mnist").resolve("t10k-labels-idx1-ubyte");
        Files.createDirectories(cached.getParent());
        byte[] real = new IdxLoader(IdxBenchmark.MNIST, null).resolve("t10k-labels-idx1-ubyte").clone();
        real[200] ^= 1;
        Files.write(cached, real);
        IdxLoader loader = new IdxLoader(IdxBenchmark.MNIST, null, home, false, List.of());
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> loader.resolve("t10k-labels-idx1-ubyte"));
        assertTrue(e.getMessage().contains("corrupt and has been removed") && e.getMessage().contains(cached.toString())
                && e.getMessage().contains("SHA-256 mismatch")
                && e.getMessage().contains("bash toolkit/bin/install-offline-data.sh"), e.getMessage());
        assertFalse(Files.exists(cached));
    }

    @Test
    void missingDatasetSaysWhereItLookedAndHowToInstall(@TempDir Path home) {
        IdxBenchmark b = IdxBenchmark.MNIST;
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> new IdxLoader(b, home.resolve("nowhere")).load());
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }
}
