package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.experiment.ComputeThreads;
import dev.sofim.models.ModelKind;
import dev.sofim.models.SameDiffModels;
import dev.sofim.optim.dl4j.SameDiffStep;
import dev.sofim.study.Study;
import dev.sofim.study.StudySpec;
import dev.sofim.sweep.ChildJvm;
import dev.sofim.sweep.LocalRunner;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cells an hour of a whole study (tuning, targets, final runs) on this machine with 1 worker and with N: the study is
 * run from scratch once per worker count, one after another, each in a fresh temporary folder, with the toolkit's
 * {@link LocalRunner} (1 worker: the cells one after another in this JVM, as {@code sofim study all} runs them; N: N
 * worker JVMs, one ND4J thread each). Every run's numbers ({@code metrics.csv}, {@code evals.csv} of every cell) must
 * equal the first run's byte for byte: the worker count changes the hours, never the results.
 */
public final class Workers {
    private Workers() {
    }

    /** One run of the study: its worker count, wall seconds, cells and each cell's numbers by relative path. */
    private record Run(int workers, double seconds, int cells, double cellSeconds, Map<String, byte[]> numbers) {
        double cellsPerHour() {
            return cells * 3600.0 / seconds;
        }

        /** The share of the workers' wall time that the cells' own training and evaluation took. */
        double busy() {
            return cellSeconds / (workers * seconds);
        }
    }

    /** Runs {@code spec} once per entry of {@code workers} (in order) and writes {@code out} (markdown) and its .json twin. */
    public static String run(StudySpec spec, Path specFile, List<Integer> workers, Path out, PrintStream log)
            throws IOException {
        if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("worker counts must be >= 1 (at least one), got " + workers);
        }
        String loadAtStart = MachineInfo.loadAverage();
        int most = workers.stream().mapToInt(Integer::intValue).max().orElseThrow();
        double[][] machine = most > 1 ? machine(most, log) : null;
        List<Run> runs = new ArrayList<>();
        for (int w : workers) {
            Path dir = Files.createTempDirectory("sofim-workers-");
            try {
                Study study = Study.open(spec, dir.resolve(spec.name()));
                LocalRunner runner = new LocalRunner(w, List.of());
                log.printf(Locale.ROOT, "study %s with %d worker%s in %s%n", spec.name(), w, w == 1 ? "" : "s", dir);
                long t0 = System.nanoTime();
                study.tune(runner, log);
                study.freezeTargets(log);
                study.run(runner, log);
                double seconds = (System.nanoTime() - t0) / 1e9;
                Run r = collect(w, seconds, dir);
                log.printf(Locale.ROOT, "%d worker(s): %d cells in %.1f s%n", w, r.cells(), seconds);
                if (!runs.isEmpty() && !sameNumbers(runs.get(0), r)) {
                    throw new IllegalStateException("the study with " + w + " workers gave other numbers than with "
                            + runs.get(0).workers() + ": " + differing(runs.get(0), r));
                }
                runs.add(r);
            } finally {
                AtomicFiles.deleteTree(dir);
            }
        }
        Run base = runs.get(0);
        StringBuilder md = new StringBuilder("# Workers: cells an hour of a whole study\n\n");
        md.append(String.format(Locale.ROOT, "Machine: %s  %nDate: %s  %nLoad average (1, 5, 15 min): %s at the start, %s at "
                        + "the end  %nStudy: `%s` (%d cells: tuning trials and final runs), run from scratch once per row, "
                        + "one after another; wall time from the first tuning cell to the last final run (targets frozen in "
                        + "between), JVM start-up of the workers included; the cells' own seconds: each cell's training and evaluation time as its "
                        + "timing files record it; busy: their share of workers × wall time (the rest: start-up, phases "
                        + "waiting for their last cell, the driver's work between phases). `toolkit/bin/sofim bench workers %s` writes this "
                        + "file.%n%n", MachineInfo.machine(), LocalDate.now(), loadAtStart, MachineInfo.loadAverage(), specFile,
                base.cells(), specFile));
        md.append("| workers | cells | wall seconds | cells an hour | ÷ the first row's | the cells' own seconds | busy | numbers |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---|\n");
        StringBuilder json = new StringBuilder("{\n  \"study\": \"" + specFile + "\",\n  \"runs\": [\n");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            md.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %.0f | %.2f | %.1f | %.0f%% | %s |%n", r.workers(), r.cells(),
                    r.seconds(), r.cellsPerHour(), r.cellsPerHour() / base.cellsPerHour(), r.cellSeconds(), 100 * r.busy(),
                    i == 0 ? "the reference"
                            : "equal to the first row's, byte for byte (" + r.numbers().size() + " files)"));
            json.append(String.format(Locale.ROOT, "    {\"workers\": %d, \"cells\": %d, \"seconds\": %.3f, \"cellsPerHour\": %.2f, \"cellSeconds\": %.3f}%s%n",
                    r.workers(), r.cells(), r.seconds(), r.cellsPerHour(), r.cellSeconds(), i + 1 < runs.size() ? "," : ""));
        }
        json.append("  ]");
        if (machine != null) {
            md.append(String.format(Locale.ROOT, "%n## The machine: %d plain processes at once%n%nThe same fixed work (%d "
                    + "SameDiff LeNet-5 SOFIM steps of batch %d on seeded random images, after %d warm-up steps, one ND4J "
                    + "thread) in one JVM alone, then in %d JVMs started together, %d times in turn; no runner, no files. "
                    + "The speed-up is the work done a second by all of them against one alone: the ceiling of any runner "
                    + "on this machine.%n%n| round | one alone: steps/s | %d at once: steps/s, all together | speed-up |%n"
                    + "|---:|---:|---:|---:|%n", most, Unit.STEPS, Unit.BATCH, Unit.WARM_UP, most, machine.length, most));
            json.append(",\n  \"machine\": {\"processes\": " + most + ", \"rounds\": [");
            for (int i = 0; i < machine.length; i++) {
                md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | %.2f |%n", i + 1, machine[i][0], machine[i][1],
                        machine[i][1] / machine[i][0]));
                json.append(String.format(Locale.ROOT, "%s{\"alone\": %.3f, \"together\": %.3f}", i == 0 ? "" : ", ",
                        machine[i][0], machine[i][1]));
            }
            double[] speedUps = Arrays.stream(machine).mapToDouble(m -> m[1] / m[0]).toArray();
            md.append(String.format(Locale.ROOT, "%nMedian speed-up: %.2f.%n", Throughput.median(speedUps)));
            json.append("]}");
        }
        json.append("\n}\n");
        AtomicFiles.writeString(out, md.toString());
        AtomicFiles.writeString(out.resolveSibling(out.getFileName().toString().replaceAll("\\.md$", "") + ".json"),
                json.toString());
        return md.toString();
    }

    /**
     * {@code rounds} rounds of: one {@link Unit} JVM alone, then {@code processes} of them at once; each row
     * {steps/s alone, steps/s of all together}.
     */
    private static double[][] machine(int processes, PrintStream log) throws IOException {
        int rounds = 3;
        double[][] out = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            double alone = Unit.STEPS / seconds(List.of(Unit.start()))[0];
            List<Process> many = new ArrayList<>();
            for (int i = 0; i < processes; i++) {
                many.add(Unit.start());
            }
            double together = Arrays.stream(seconds(many)).map(t -> Unit.STEPS / t).sum();
            log.printf(Locale.ROOT, "machine round %d: %.1f steps/s alone, %.1f with %d at once%n", r + 1, alone, together,
                    processes);
            out[r] = new double[] {alone, together};
        }
        return out;
    }

    /** The seconds each unit process reports for its timed steps, once all have ended. */
    private static double[] seconds(List<Process> ps) throws IOException {
        double[] t = new double[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            Process p = ps.get(i);
            String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            try {
                int rc = p.waitFor();
                String last = said.isEmpty() ? "" : said.substring(said.lastIndexOf('\n') + 1);
                if (rc != 0 || !last.startsWith("seconds ")) {
                    throw new IOException("the machine probe's process ended with exit code " + rc + " and said: " + said);
                }
                t[i] = Double.parseDouble(last.substring("seconds ".length()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ps.forEach(Process::destroy);
                throw new IOException("interrupted while waiting for the machine probe", e);
            }
        }
        return t;
    }

    /**
     * The machine probe's process: {@link #WARM_UP} then {@link #STEPS} SameDiff LeNet-5 SOFIM steps on seeded random
     * batches with one native thread; prints {@code seconds T} for the timed steps.
     */
    public static final class Unit {
        static final int BATCH = 64;
        static final int WARM_UP = 30;
        static final int STEPS = 300;

        private Unit() {
        }

        static Process start() throws IOException {
            return ChildJvm.builder(List.of(), Unit.class.getName(), List.of()).redirectErrorStream(true).start();
        }

        public static void main(String[] args) {
            ComputeThreads.set(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
            var step = new SameDiffStep(SameDiffModels.lenet(1, 28, 28, 10, 1), SameDiffModels.LOSS,
                    SameDiffModels.parameters(ModelKind.LENET), Throughput.SOFIM, 1);
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, 1, 28, 28);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 10);
            for (int i = 0; i < BATCH; i++) {
                y.putScalar(i, i % 10, 1f);
            }
            for (int i = 0; i < WARM_UP; i++) {
                step.step(x, y, 0);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < STEPS; i++) {
                step.step(x, y, 0);
            }
            System.out.println("seconds " + (System.nanoTime() - t0) / 1e9);
        }
    }

    /** The finished cells under {@code dir} (folders in a {@code cells} folder with a metrics.csv) and their numbers. */
    private static Run collect(int workers, double seconds, Path dir) throws IOException {
        Map<String, byte[]> numbers = new TreeMap<>();
        int cells = 0;
        double cellSeconds = 0;
        try (var s = Files.walk(dir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().equals("metrics.csv")
                    && f.getParent().getParent().getFileName().toString().equals("cells")).toList()) {
                cells++;
                cellSeconds += ownSeconds(p.getParent());
                for (String name : List.of("metrics.csv", "evals.csv")) {
                    Path f = p.resolveSibling(name);
                    if (Files.exists(f)) {
                        numbers.put(dir.relativize(f).toString(), Files.readAllBytes(f));
                    }
                }
            }
        }
        return new Run(workers, seconds, cells, cellSeconds, numbers);
    }

    /** A cell's training seconds (timing.csv's last row) plus its evaluation seconds (eval-timing.csv's column). */
    private static double ownSeconds(Path cell) throws IOException {
        double s = 0;
        List<String> timing = Files.readAllLines(cell.resolve("timing.csv"));
        if (timing.size() > 1) {
            s += Double.parseDouble(column(timing, timing.size() - 1, "seconds"));
        }
        Path evals = cell.resolve("eval-timing.csv");
        if (Files.exists(evals)) {
            List<String> e = Files.readAllLines(evals);
            for (int i = 1; i < e.size(); i++) {
                s += Double.parseDouble(column(e, i, "eval_seconds"));
            }
        }
        return s;
    }

    private static String column(List<String> csv, int row, String name) {
        int k = Arrays.asList(csv.get(0).split(",")).indexOf(name);
        if (k < 0) {
            throw new IllegalStateException("no column " + name + " in " + csv.get(0));
        }
        return csv.get(row).split(",")[k];
    }

    private static boolean sameNumbers(Run a, Run b) {
        return a.numbers().keySet().equals(b.numbers().keySet()) && a.numbers().entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue(), b.numbers().get(e.getKey())));
    }

    private static String differing(Run a, Run b) {
        List<String> d = new ArrayList<>();
        for (String k : a.numbers().keySet()) {
            if (!b.numbers().containsKey(k) || !Arrays.equals(a.numbers().get(k), b.numbers().get(k))) {
                d.add(k);
            }
        }
        b.numbers().keySet().stream().filter(k -> !a.numbers().containsKey(k)).forEach(d::add);
        return d.size() + " files, first " + d.subList(0, Math.min(3, d.size()));
    }
}
