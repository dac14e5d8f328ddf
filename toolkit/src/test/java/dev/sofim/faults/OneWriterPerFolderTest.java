package dev.sofim.faults;

import dev.sofim.data.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 25, item 8: two {@code sofim run} into one {@code --out} both exited 0 and only the second's results remained.
 * A results folder and a sweep store now have one writer; the second is refused naming the first, and a lock dies with
 * its process.
 */
class OneWriterPerFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterInThisProcessIsRefused() throws IOException {
        Path out = dir.resolve("run");
        try (FolderLock first = FolderLock.acquire(out, "results folder")) {
            IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(out, "results folder"));
            assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("another thread"), e.getMessage());
        }
        try (FolderLock again = FolderLock.acquire(out, "results folder")) {
            assertTrue(Files.isRegularFile(out.resolve(FolderLock.FILE)), "released: the folder can be locked again");
        }
    }

    @Test
    void aSecondProcessIsRefusedNamingTheHolderUntilItDies() throws Exception {
        Path out = dir.resolve("store");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), out.toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine();
            assertEquals("locked", line);
            IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(out, "sweep store"));
            assertTrue(e.getMessage().contains("another process (pid " + holder.pid() + " on "), e.getMessage());
            assertTrue(e.getMessage().contains("sweep store " + out), e.getMessage());
            holder.destroyForcibly().waitFor(60, TimeUnit.SECONDS);   // kill -9: no hook, the OS drops the lock
            try (FolderLock mine = FolderLock.acquire(out, "sweep store")) {
                assertTrue(Files.readString(out.resolve(FolderLock.FILE)).startsWith("pid " + ProcessHandle.current().pid()));
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLinkedLockFileIsNotFollowed() throws IOException {
        Path out = Files.createDirectories(dir.resolve("linked"));
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
        Files.createSymbolicLink(out.resolve(FolderLock.FILE), outside);
        IOException e = assertThrows(IOException.class, () -> FolderLock.acquire(out, "results folder"));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertEquals("keep me", Files.readString(outside));
        assertFalse(Files.isRegularFile(out.resolve(FolderLock.FILE), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** Holds a lock on its argument's folder until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            FolderLock lock = FolderLock.acquire(Path.of(args[0]), "sweep store");
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
