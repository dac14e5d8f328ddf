package dev.sofim.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A memory cgroup with a hard limit, as a Binder pod has: a command started through {@link #wrap} runs inside it with
 * all its children (nbconvert, the kernel's JVM, a sweep's second JVM), the kernel killing the group's largest process
 * when it goes over. Uses whichever controller the machine has: cgroup v2 ({@code memory.max}, {@code memory.peak},
 * {@code memory.events}) or v1 ({@code memory.limit_in_bytes}, {@code memory.max_usage_in_bytes},
 * {@code memory.oom_control}). The peak counts what the limit counts: resident memory and page cache. The anonymous
 * part (the processes' own memory, which the kernel cannot reclaim without swap, so it decides whether a pod is
 * killed) has no peak counter: {@link #anonymousPeakBytes} is the largest value sampled from {@code memory.stat}
 * ({@code anon} under v2, {@code rss} under v1) every {@link #SAMPLE_MILLIS} ms while the group exists.
 */
final class MemoryLimit implements AutoCloseable {
    enum Version { V1, V2 }

    static final long SAMPLE_MILLIS = 200;

    private final Path dir;
    private final Version version;
    private final long bytes;
    private final java.util.concurrent.atomic.AtomicLong anonymousPeak = new java.util.concurrent.atomic.AtomicLong();
    private final Thread sampler;

    private MemoryLimit(Path dir, Version version, long bytes) {
        this.dir = dir;
        this.version = version;
        this.bytes = bytes;
        this.sampler = new Thread(this::sample, "memory-limit-sampler " + dir.getFileName());
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        String key = version == Version.V2 ? "anon" : "rss";
        Path stat = dir.resolve("memory.stat");
        while (!Thread.currentThread().isInterrupted()) {
            try {
                for (String line : Files.readAllLines(stat)) {
                    if (line.startsWith(key + " ")) {
                        anonymousPeak.accumulateAndGet(Long.parseLong(line.substring(key.length() + 1).trim()), Math::max);
                        break;
                    }
                }
                Thread.sleep(SAMPLE_MILLIS);
            } catch (IOException | NumberFormatException e) {
                return; // the group is gone
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * A new group of {@code bytes} under this process's own memory cgroup, or empty with the reason on standard error
     * when no memory controller is writable here (not root, or a container without one).
     */
    static Optional<MemoryLimit> create(String name, long bytes) {
        List<String> tried = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("0") && f[1].isEmpty()) {
                    // v2: a child of this process's group, else a sibling, where the parent delegates memory
                    Path own = Path.of("/sys/fs/cgroup" + f[2]).normalize();
                    for (Path parent : own.equals(Path.of("/sys/fs/cgroup")) ? List.of(own) : List.of(own, own.getParent())) {
                        Path controllers = parent.resolve("cgroup.controllers");
                        if (Files.isReadable(controllers) && List.of(Files.readString(controllers).trim().split("\\s+")).contains("memory")) {
                            try {
                                Files.writeString(parent.resolve("cgroup.subtree_control"), "+memory");
                            } catch (IOException e) {
                                tried.add(parent + "/cgroup.subtree_control: " + e);
                            }
                            Optional<MemoryLimit> m = make(parent.resolve(name), Version.V2, bytes, tried);
                            if (m.isPresent()) {
                                return m;
                            }
                        }
                    }
                } else if (List.of(f[1].split(",")).contains("memory")) {
                    Path v1 = Path.of("/sys/fs/cgroup/memory" + f[2]);
                    Optional<MemoryLimit> m = make(v1.resolve(name), Version.V1, bytes, tried);
                    if (m.isPresent()) {
                        return m;
                    }
                }
            }
        } catch (IOException e) {
            tried.add("/proc/self/cgroup: " + e.getMessage());
        }
        System.err.println("memory limit: no writable memory cgroup here (" + (tried.isEmpty() ? "no memory controller"
                : String.join("; ", tried)) + "); the notebooks run with the kernel's heap flags only");
        return Optional.empty();
    }

    private static Optional<MemoryLimit> make(Path dir, Version v, long bytes, List<String> tried) {
        try {
            if (Files.isDirectory(dir)) {
                Files.delete(dir); // a previous run's empty group
            }
            Files.createDirectory(dir);
            if (v == Version.V2) {
                Files.writeString(dir.resolve("memory.max"), Long.toString(bytes));
                if (Files.exists(dir.resolve("memory.swap.max"))) {
                    Files.writeString(dir.resolve("memory.swap.max"), "0");
                }
            } else {
                Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            }
            return Optional.of(new MemoryLimit(dir, v, bytes));
        } catch (IOException | RuntimeException e) {
            tried.add(dir + ": " + e);
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // the reason above is what matters
            }
            return Optional.empty();
        }
    }

    /** The command, started inside this group: a shell moves itself in, then becomes the command. */
    List<String> wrap(List<String> command) {
        List<String> c = new ArrayList<>(List.of("/bin/sh", "-c", "echo $$ > '" + dir.resolve("cgroup.procs")
                + "' && exec \"$@\"", "sh"));
        c.addAll(command);
        return c;
    }

    long limitBytes() {
        return bytes;
    }

    Version version() {
        return version;
    }

    /** The group's peak memory since it was made, in bytes. */
    long peakBytes() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(version == Version.V2 ? "memory.peak" : "memory.max_usage_in_bytes")).trim());
    }

    /** The largest anonymous memory sampled so far (see the class comment), in bytes. */
    long anonymousPeakBytes() {
        return anonymousPeak.get();
    }

    /** How many processes the kernel killed in this group for going over the limit. */
    long oomKills() throws IOException {
        for (String line : Files.readAllLines(dir.resolve(version == Version.V2 ? "memory.events" : "memory.oom_control"))) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals("oom_kill")) {
                return Long.parseLong(kv[1]);
            }
        }
        return 0; // older kernels count no kills here
    }

    /**
     * Removes the group, as a pod's end does: processes still in it a few seconds after the command (a JVM that the
     * notebook left running) are killed first.
     */
    @Override
    public void close() throws IOException {
        sampler.interrupt();
        for (int i = 0; ; i++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) { // the last processes are still leaving
                if (i == 100) {
                    throw new IOException("memory limit: cannot remove " + dir + " (processes left in it: "
                            + Files.readString(dir.resolve("cgroup.procs")).trim().replace('\n', ' ') + ")", busy);
                }
                if (i == 50) {
                    for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }
    }
}
