package dev.sofim.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes that are all or nothing: a temp file in the target folder, then an atomic move. Temp files are
 * hidden ({@code .<name>.<random>.tmp}) and created with the process umask's permissions (not the 0600 of
 * {@code Files.createTempFile}, which the move would carry onto the result); {@link #sweep} removes the ones a
 * killed process left behind.
 */
public final class AtomicFiles {
    /** Suffix of every temp file this class creates. */
    public static final String TEMP_SUFFIX = ".tmp";

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = tempFileFor(target, TEMP_SUFFIX);
        try {
            Files.write(tmp, bytes);
            move(tmp, target);
        } catch (IOException e) {
            throw new IOException("cannot write " + target.toAbsolutePath() + ": " + describe(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * A new empty hidden file beside {@code target}, {@code .<name>.<random><suffix>}, with the permissions the
     * process umask gives new files.
     */
    public static Path tempFileFor(Path target, String suffix) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create folder " + dir + " for " + target.getFileName() + ": " + describe(e), e);
        }
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + suffix);
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            } catch (IOException e) {
                throw new IOException("cannot create a file in " + dir + ": " + describe(e), e);
            }
        }
    }

    /**
     * Deletes the temp files ({@code .*.tmp}) in {@code dir} that an interrupted write left behind; returns how
     * many. Call it when a folder is opened by its only writer.
     */
    public static int sweep(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") && name.endsWith(TEMP_SUFFIX) && Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Deletes the hidden temp files and folders in {@code dir} whose names start with {@code "." + stem} and end with
     * {@code suffix} and that nothing has written for {@code staleMillis} (what a killed download or extraction left; a
     * live writer elsewhere keeps its file's time fresh). A folder shared by several processes (a dataset cache) uses
     * this instead of {@link #sweep}. Returns how many.
     */
    public static int sweepStale(Path dir, String stem, String suffix, long staleMillis) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long now = System.currentTimeMillis();
        int n = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith("." + stem) && name.endsWith(suffix) && !Files.isSymbolicLink(p)
                        && now - Files.getLastModifiedTime(p).toMillis() > staleMillis) {
                    deleteTree(p);
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * A folder the toolkit owns inside a results folder ({@code plots/}, {@code checkpoints/}, {@code iterations/}),
     * created if missing. A symbolic link there was planted (the toolkit never makes one) and would send writes and
     * deletions outside the results folder: it is refused, naming it.
     */
    public static Path ownFolder(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir) || (Files.exists(dir) && !Files.isDirectory(dir))) {
            throw new IOException(dir + " is not a folder (a symbolic link or a file); delete it: the toolkit does not "
                    + "follow links inside a results folder");
        }
        return Files.createDirectories(dir);
    }

    /**
     * Deletes {@code dir} and everything under it (deepest first); nothing if it is missing. Links are deleted, not
     * followed.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** An I/O exception's kind and message ("NoSuchFileException: /x/y"), for messages that name the operation. */
    static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Moves {@code tmp} onto {@code target} atomically (same folder). */
    public static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
