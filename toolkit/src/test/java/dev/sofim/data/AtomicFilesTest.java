package dev.sofim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Atomic writes: the umask's permissions, leftovers swept, errors naming the real file. */
class AtomicFilesTest {

    @Test
    void writtenFilesGetTheUmaskPermissionsNotTheTempFiles(@TempDir Path dir) throws IOException {
        Path reference = Files.createFile(dir.resolve("reference")); // what the umask gives a new file
        Path written = dir.resolve("results.csv");
        AtomicFiles.writeString(written, "a,b\n");
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(written));
        assertEquals("a,b\n", Files.readString(written));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp file left");
        }
    }

    @Test
    void sweepRemovesLeftoverTempFilesOnly(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".metrics.csv.k3j2.tmp"), "half");
        Files.writeString(dir.resolve(".hidden-but-kept"), "x");
        Files.writeString(dir.resolve("kept.tmp"), "not hidden: not ours");
        assertEquals(1, AtomicFiles.sweep(dir));
        assertFalse(Files.exists(dir.resolve(".metrics.csv.k3j2.tmp")));
        assertTrue(Files.exists(dir.resolve(".hidden-but-kept")) && Files.exists(dir.resolve("kept.tmp")));
        assertEquals(0, AtomicFiles.sweep(dir.resolve("missing")));
    }

    @Test
    void aFailedWriteNamesTheTargetNotTheTempFile(@TempDir Path dir) throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("afile"), "x");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(notAFolder.resolve("summary.csv"), "y"));
        assertTrue(e.getMessage().contains(notAFolder.toString()) && !e.getMessage().contains(".tmp"), e.getMessage());
    }

    /** Issue 25, item 13: a killed {@code sofim data fetch} left a 47 MB hidden partial download in the cache forever. */
    @Test
    void staleLeftoversOfAKilledFetchOrExtractionAreSweptLiveOnesKept(@TempDir Path cache) throws IOException {
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 2 * Download.STALE_MS);
        Path killed = Files.writeString(cache.resolve(".train.gz.k3j.part"), "partial");
        Files.setLastModifiedTime(killed, old);
        Path live = Files.writeString(cache.resolve(".train.gz.q9x.part"), "being written");
        Path other = Files.writeString(cache.resolve(".test.gz.a1.part"), "another file's");
        Files.setLastModifiedTime(other, old);
        Path extraction = Files.createDirectories(cache.resolve(".extract5k.tmp/cifar-10-batches-bin"));
        Files.writeString(extraction.resolve("data_batch_1.bin"), "x");
        Files.setLastModifiedTime(extraction.getParent(), old);
        assertEquals(1, AtomicFiles.sweepStale(cache, "train.gz", ".part", Download.STALE_MS));
        assertFalse(Files.exists(killed));
        assertTrue(Files.exists(live), "a live download elsewhere is kept");
        assertTrue(Files.exists(other), "only the fetched file's leftovers");
        assertEquals(1, AtomicFiles.sweepStale(cache, "extract", AtomicFiles.TEMP_SUFFIX, Download.STALE_MS));
        assertFalse(Files.exists(extraction.getParent()));
    }
}
