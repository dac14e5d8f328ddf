package dev.sofim.bench;

import dev.sofim.data.AtomicFiles;
import dev.sofim.study.Study;
import dev.sofim.study.StudySpec;
import dev.sofim.sweep.LocalRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
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
                deleteTree(dir);
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
        json.append("  ]\n}\n");
        AtomicFiles.writeString(out, md.toString());
        AtomicFiles.writeString(out.resolveSibling(out.getFileName().toString().replaceAll("\\.md$", "") + ".json"),
                json.toString());
        return md.toString();
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

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
