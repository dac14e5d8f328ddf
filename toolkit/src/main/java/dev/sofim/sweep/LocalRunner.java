package dev.sofim.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sweep on this machine: one cell after another in this JVM ({@code workers} = 1), or up to {@code workers}
 * cells at once, each in its own JVM ({@code sofim sweep cell DIR ID}, logs in {@code DIR/logs/ID.log}; for a remote
 * store, its local mirror's {@code logs/}).
 *
 * @param workers  cells run at once
 * @param jvmArgs  extra JVM options for worker processes (e.g. {@code -Xmx2g})
 */
public record LocalRunner(int workers, List<String> jvmArgs) implements SweepRunner {

    public LocalRunner {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        jvmArgs = List.copyOf(jvmArgs);
    }

    public static LocalRunner sequential() {
        return new LocalRunner(1, List.of());
    }

    @Override
    public void runCells(SweepStore store, PrintStream log) throws IOException {
        List<Cell> todo = store.unfinished();
        log.printf("sweep %s: %d cells, %d to run, %d worker%s%n", store.sweep().name(), store.sweep().cells().size(),
                todo.size(), workers, workers == 1 ? "" : "s");
        if (workers == 1) {
            for (Cell c : todo) {
                log.println("cell " + c.id() + " " + c.coordinates());
                store.runCell(c, log);
            }
            return;
        }
        Path logs = store.dir().resolve("logs");
        Files.createDirectories(logs);
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        String parent = ParentWatch.self();   // the workers halt if this driver dies (kill -9 runs no hook)
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Cell c : todo) {
                running.add(pool.submit(() -> {
                    List<String> cmd = new ArrayList<>();
                    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                    if (dev.sofim.optim.FloatStep.vectorModule()) {
                        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector"));   // the same step engine as here
                    }
                    cmd.addAll(jvmArgs);
                    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sofim.cli.Main", "sweep", "cell",
                            store.location(), c.id(), "--parent", parent));
                    Path out = logs.resolve(c.id() + ".log");
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
                    int status = p.waitFor();
                    synchronized (log) {
                        log.println("cell " + c.id() + " " + c.coordinates() + (status == 0 ? " done" : " FAILED (exit "
                                + status + ", see " + out + ")"));
                    }
                    if (status != 0) {
                        failed.add(c.id());
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("sweep interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("a worker could not be started: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (!failed.isEmpty()) {
            throw new IOException(failed.size() + " cell(s) failed: " + failed + "; their logs are in " + logs
                    + "; running the sweep again resumes them");
        }
    }
}
