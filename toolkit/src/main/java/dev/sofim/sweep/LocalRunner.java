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
 * The sweep on this machine: one cell after another in this JVM ({@code workers} = 1), or {@code workers} cells at
 * once, each worker a JVM of its own that runs cell after cell ({@code sofim sweep worker DIR}, one ND4J thread; a
 * cell's log in {@code DIR/logs/ID.log}; for a remote store, its local mirror's {@code logs/}).
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
        java.util.concurrent.ConcurrentLinkedQueue<Cell> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(todo);
        int n = Math.min(workers, todo.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, n));
        String parent = ParentWatch.self();   // the workers halt if this driver dies (kill -9 runs no hook)
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < n; w++) {
                int index = w;
                running.add(pool.submit(() -> {
                    serve(store, logs, index, parent, queue, failed, log);
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

    /**
     * One worker JVM ({@code sofim sweep worker}), kept for as many cells as the queue holds: JVM start-up, native
     * library loading and JIT warm-up are paid once a worker, not once a cell. Each cell is asked for with a line
     * {@code cell ID}, answered {@code done ID} or {@code failed ID ...}; the cell's output goes to
     * {@code logs/ID.log}, the worker's own to {@code logs/worker-N.log}. A worker that dies fails its cell and stops;
     * the others take the rest of the queue.
     */
    private void serve(SweepStore store, Path logs, int index, String parent,
                       java.util.Queue<Cell> queue, List<String> failed, PrintStream log) throws IOException {
        Path own = logs.resolve("worker-" + (index + 1) + ".log");
        Process p = ChildJvm.builder(jvmArgs, "dev.sofim.cli.Main", List.of("sweep", "worker", store.location(), "--logs",
                logs.toString(), "--parent", parent)).redirectError(ProcessBuilder.Redirect.appendTo(own.toFile())).start();
        try (java.io.BufferedReader answers = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
             java.io.Writer asks = new java.io.OutputStreamWriter(p.getOutputStream(), java.nio.charset.StandardCharsets.UTF_8)) {
            for (Cell c; (c = queue.poll()) != null; ) {
                String answer;
                try {
                    asks.write("cell " + c.id() + "\n");
                    asks.flush();
                    answer = answers.readLine();
                } catch (IOException e) {
                    answer = null;
                }
                boolean done = ("done " + c.id()).equals(answer);
                synchronized (log) {
                    log.println("cell " + c.id() + " " + c.coordinates() + (done ? " done" : " FAILED ("
                            + (answer == null ? "the worker died, see " + own : answer) + "; see " + logs.resolve(c.id()
                            + ".log") + ")"));
                }
                if (!done) {
                    failed.add(c.id());
                }
                if (answer == null) {
                    return;
                }
            }
            asks.write("quit\n");
            asks.flush();
        } finally {
            try {
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
