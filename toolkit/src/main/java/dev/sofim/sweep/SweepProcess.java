package dev.sofim.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep run by the {@code sofim} command in a process of its own, while the caller (a notebook) watches its store
 * fill in: the notebook's class path stays free of Spark, and the same command runs the sweep on this machine or on a
 * cluster. Output goes to {@code <store>/sweep.log}.
 */
public final class SweepProcess {
    private final Process process;
    private final Path log;

    private SweepProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code sofim sweep run <store>/sweep.json --out <store>}, with {@code --master master} unless it is empty
     * (then the cells run one after another in the child JVM).
     *
     * @param sofim    the {@code toolkit/bin/sofim} script
     * @param heap     the child JVM's heap, e.g. {@code 1g}; its ND4J buffers get as much, and its dead arrays are
     *                 collected once it holds 1.5 times that ({@link dev.sofim.experiment.NativeMemory})
     */
    public static SweepProcess start(Path sofim, SweepStore store, String master, String heap) throws IOException {
        long bytes = heapBytes(heap);
        if (!Files.isRegularFile(sofim)) {
            throw new IllegalArgumentException("no sofim command at " + sofim.toAbsolutePath() + "; expected toolkit/bin/sofim");
        }
        List<String> cmd = new ArrayList<>(List.of("bash", sofim.toAbsolutePath().toString(), "sweep", "run",
                store.dir().resolve("sweep.json").toAbsolutePath().toString(), "--out", store.dir().toAbsolutePath().toString()));
        if (master != null && !master.isBlank()) {
            cmd.addAll(List.of("--master", master));
        }
        Path log = store.dir().resolve("sweep.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // native memory in step with the heap, so the notebook's kernel and this JVM fit in one pod together
        pb.environment().put("SOFIM_JAVA_OPTS", "-Xmx" + heap + " -Dorg.bytedeco.javacpp.maxbytes=" + heap
                + " -D" + dev.sofim.experiment.NativeMemory.BUDGET_PROPERTY + "=" + (bytes + bytes / 2));
        return new SweepProcess(pb.start(), log);
    }

    /** The child JVM's heap in bytes, or an error naming the value and what was expected. */
    static long heapBytes(String heap) {
        String expected = "sweep JVM heap '" + heap + "' is not a size of at least 64m; expected e.g. 512m or 1g";
        long bytes;
        try {
            bytes = dev.sofim.experiment.NativeMemory.budgetFrom(heap == null ? "" : heap, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(expected, e);
        }
        if (bytes < 64L << 20) {
            throw new IllegalArgumentException(expected);
        }
        return bytes;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the end; an error with the log's last lines if the sweep failed. */
    public void finish() throws IOException, InterruptedException {
        int status = process.waitFor();
        if (status != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException("the sweep failed (exit " + status + "); the end of " + log + ":\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
    }
}
