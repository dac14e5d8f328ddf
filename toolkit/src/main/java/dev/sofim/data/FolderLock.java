package dev.sofim.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per folder: an exclusive lock on {@code DIR/.lock}, held while a run writes a results folder or a driver
 * writes a sweep store. A second writer (another process, or another thread of this one) is refused with the
 * holder's pid, host, start time and command, and nothing of the folder is touched. The operating system releases the
 * lock when its process dies, even by {@code kill -9}, so a stale {@code .lock} file never blocks a resume; the file
 * itself stays (deleting it would let two writers lock two files) and is neither committed nor copied to a store.
 */
public final class FolderLock implements AutoCloseable {
    /** The lock file's name in the folder. */
    public static final String FILE = ".lock";

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code dir} (created if missing) for this process until {@link #close()}.
     *
     * @param what what the folder is, for the message ("results folder", "sweep store")
     */
    public static FolderLock acquire(Path dir, String what) throws IOException {
        Files.createDirectories(dir);
        Path key = dir.toAbsolutePath().normalize();
        Path file = key.resolve(FILE);
        if (Files.isSymbolicLink(file) || (Files.exists(file) && !Files.isRegularFile(file))) {
            throw new IOException(what + " " + dir + ": " + file + " is not a regular file (a symbolic link or a folder); "
                    + "delete it: the toolkit does not follow links inside a results folder");
        }
        if (!HELD.add(key)) {
            throw new IOException(what + " " + dir + " is being written by another thread of this process; wait for it "
                    + "to finish, or choose another folder");
        }
        FileChannel ch;
        FileLock l;
        String holder = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            HELD.remove(key);
            throw new IOException(what + " " + dir + ": cannot open " + file + ": " + AtomicFiles.describe(e), e);
        }
        try {
            l = ch.tryLock();
            if (l == null) {
                holder = holder(ch);
            } else {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(describeSelf().getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(false);
            }
        } catch (IOException e) {
            ch.close();
            HELD.remove(key);
            throw new IOException(what + " " + dir + ": cannot lock " + file + ": " + AtomicFiles.describe(e), e);
        }
        if (l == null) {
            ch.close();
            HELD.remove(key);
            throw new IOException(what + " " + dir + " is being written by another process (" + holder + "); wait for "
                    + "it to finish or stop it, or choose another folder");
        }
        return new FolderLock(key, ch, l);
    }

    private static String holder(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4096);
        int n = ch.read(b, 0);
        String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? "its pid is not yet written" : s;
    }

    private static String describeSelf() {
        ProcessHandle me = ProcessHandle.current();
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        String command = me.info().commandLine().orElse("java");
        if (command.length() > 300) {
            command = command.substring(0, 300) + "…";
        }
        return "pid " + me.pid() + " on " + host + " since " + Instant.now() + ": " + command + "\n";
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(key);
        }
    }
}
