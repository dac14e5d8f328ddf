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
}
