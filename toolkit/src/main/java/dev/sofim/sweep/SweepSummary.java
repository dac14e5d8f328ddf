package dev.sofim.sweep;

import dev.sofim.experiment.ConfigJson;
import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.Metric;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.experiment.Results;
import dev.sofim.experiment.TimeToTarget;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Every cell of a sweep as one CSV row: cell id, its place on each axis (optimizer and seed always among them), the
 * optimizer's type and resolved settings, epochs run, the metrics after the last epoch, epochs and seconds to each target the base sets (blank when
 * not reached), and whether and when the cell diverged. Cells not started yet have blank metrics.
 */
public final class SweepSummary {
    private SweepSummary() {
    }

    public static String csv(SweepStore store) throws IOException {
        List<Cell> cells = store.sweep().cells();
        Set<String> axes = new LinkedHashSet<>();
        cells.forEach(c -> axes.addAll(c.coordinates().keySet()));
        List<Metric> targets = new ArrayList<>();
        for (Metric m : Metric.values()) {
            if (m.target(store.sweep().base().targets()) != null) {
                targets.add(m);
            }
        }
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(axes);
        header.addAll(List.of("type", "settings", "epochs", "train_loss", "test_loss", "test_accuracy"));
        for (Metric m : targets) {
            header.add("epochs_to_" + m.name().toLowerCase(Locale.ROOT));
            header.add("seconds_to_" + m.name().toLowerCase(Locale.ROOT));
        }
        header.add("diverged_epoch");
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Cell c : cells) {
            List<String> row = new ArrayList<>(List.of(c.id()));
            for (String a : axes) {
                Object v = c.coordinates().get(a);
                row.add(v == null ? "" : value(v));
            }
            OptimizerSpec o = c.config().optimizers().get(0);
            Map<String, Object> settings = o.settings();
            row.add(String.valueOf(settings.remove("type")));
            row.add(settings.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue()))
                    .collect(Collectors.joining(";")));
            Results r = store.results(c);
            List<EpochRecord> run = r == null ? List.of() : r.run(c.optimizer(), c.seed());
            EpochRecord last = run.isEmpty() ? null : run.get(run.size() - 1);
            row.add(String.valueOf(run.size()));
            for (Metric m : List.of(Metric.TRAIN_LOSS, Metric.TEST_LOSS, Metric.TEST_ACCURACY)) {
                row.add(last == null ? "" : String.valueOf(last.metric(m)));
            }
            List<TimeToTarget> times = r == null ? List.of() : r.timeToTarget();
            for (Metric m : targets) {
                TimeToTarget t = times.stream().filter(x -> x.metric() == m).findFirst().orElse(null);
                boolean reached = t != null && t.reached() > 0;
                row.add(reached ? String.valueOf(t.epochs().get(0)) : "");
                row.add(reached ? String.valueOf(t.seconds().get(0)) : "");
            }
            row.add(r == null ? "" : r.divergences().stream().map(d -> String.valueOf(d.epoch())).findFirst().orElse(""));
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    /**
     * A two-axis view of a sweep, {@code values[row = y][column = x]}: per point, the mean over its finished cells (the
     * other axes: seeds, …) of a number read off each cell's records, e.g. {@link #last(Metric)}; NaN where no cell has
     * finished yet, or every cell diverged before its first epoch. Call it while the sweep runs to watch it fill in.
     */
    public static double[][] grid(SweepStore store, String xAxis, String yAxis, ToDoubleFunction<List<EpochRecord>> ofRun) {
        List<Object> xs = axis(store.sweep(), xAxis);
        List<Object> ys = axis(store.sweep(), yAxis);
        double[][] sum = new double[ys.size()][xs.size()];
        int[][] n = new int[ys.size()][xs.size()];
        for (Cell c : store.sweep().cells()) {
            int x = xs.indexOf(c.coordinates().get(xAxis));
            int y = ys.indexOf(c.coordinates().get(yAxis));
            Results r;
            try {
                r = x < 0 || y < 0 ? null : store.finishedResults(c).orElse(null);
            } catch (IOException e) {
                // unchecked, so that a live view can call it from a Supplier; names the cell's folder
                throw new java.io.UncheckedIOException("cannot read cell " + store.cellDir(c) + ": " + e.getMessage(), e);
            }
            List<EpochRecord> run = r == null ? List.of() : r.run(c.optimizer(), c.seed());
            double v = run.isEmpty() ? Double.NaN : ofRun.applyAsDouble(run);
            if (!Double.isNaN(v)) {
                sum[y][x] += v;
                n[y][x]++;
            }
        }
        double[][] out = new double[ys.size()][xs.size()];
        for (int y = 0; y < ys.size(); y++) {
            for (int x = 0; x < xs.size(); x++) {
                out[y][x] = n[y][x] == 0 ? Double.NaN : sum[y][x] / n[y][x];
            }
        }
        return out;
    }

    /** The values of a sweep's axis, or an error naming the axes it has. */
    public static List<Object> axis(Sweep sweep, String name) {
        return sweep.axes().stream().filter(a -> a.name().equals(name)).findFirst().map(Axis::values).orElseThrow(() ->
                new IllegalArgumentException("sweep '" + sweep.name() + "' has no axis '" + name + "'; it has "
                        + sweep.axes().stream().map(Axis::name).toList()));
    }

    /** A run's metric after its last epoch. */
    public static ToDoubleFunction<List<EpochRecord>> last(Metric metric) {
        return run -> run.get(run.size() - 1).metric(metric);
    }

    /** The first epoch at which a run reaches the target (NaN if it never does). */
    public static ToDoubleFunction<List<EpochRecord>> epochsTo(Metric metric, double target) {
        return run -> run.stream().filter(e -> metric.reached(e.metric(metric), target)).mapToDouble(EpochRecord::epoch)
                .findFirst().orElse(Double.NaN);
    }

    /** The finished cell with the highest held-out accuracy after its last epoch, if any. */
    public static java.util.Optional<Cell> best(SweepStore store) throws IOException {
        Cell best = null;
        double top = Double.NEGATIVE_INFINITY;
        for (Cell c : store.sweep().cells()) {
            Results r = store.finishedResults(c).orElse(null);
            List<EpochRecord> run = r == null ? List.of() : r.run(c.optimizer(), c.seed());
            if (!run.isEmpty() && run.get(run.size() - 1).testAccuracy() > top) {
                top = run.get(run.size() - 1).testAccuracy();
                best = c;
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /**
     * The tuning protocol's choice: per optimizer of the base, the setting (all axes but the seed) with the highest
     * held-out accuracy after the last epoch, averaged over its seeds (ties: the lower held-out loss); settings with a
     * diverged or unfinished cell are never chosen. Meant for a sweep evaluated on a validation split; the choices go
     * into a config that is then run on the test set.
     */
    public static List<OptimizerSpec> tuned(SweepStore store) throws IOException {
        Map<String, List<Cell>> bySetting = new java.util.LinkedHashMap<>();
        for (Cell c : store.sweep().cells()) {
            bySetting.computeIfAbsent(ConfigJson.toJson(c.config().toBuilder().seeds(1).build()), k -> new ArrayList<>()).add(c);
        }
        Map<String, OptimizerSpec> chosen = new java.util.LinkedHashMap<>();
        Map<String, double[]> score = new java.util.HashMap<>();
        for (List<Cell> cells : bySetting.values()) {
            double acc = 0;
            double loss = 0;
            boolean complete = true;
            for (Cell c : cells) {
                Results r = store.finishedResults(c).orElse(null);
                List<EpochRecord> run = r == null || !r.divergences().isEmpty() ? List.of() : r.run(c.optimizer(), c.seed());
                if (run.size() < c.config().epochs()) {
                    complete = false;
                    break;
                }
                acc += run.get(run.size() - 1).testAccuracy() / cells.size();
                loss += run.get(run.size() - 1).testLoss() / cells.size();
            }
            String name = cells.get(0).optimizer();
            double[] best = score.get(name);
            if (complete && (best == null || acc > best[0] || (acc == best[0] && loss < best[1]))) {
                score.put(name, new double[] {acc, loss});
                chosen.put(name, cells.get(0).config().optimizers().get(0));
            }
        }
        return store.sweep().base().optimizers().stream().map(o -> chosen.get(o.name())).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * A summary's rows without its wall-clock columns ({@code seconds_to_…}), each as {@code column=value …}: what must
     * be identical when the same sweep is run twice, by any runner.
     */
    public static List<String> withoutWallClock(String csv) {
        String[] lines = csv.split("\n");
        List<String> header = fields(lines[0]);
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            List<String> c = fields(lines[i]);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < c.size() && j < header.size(); j++) {
                if (!header.get(j).startsWith("seconds_to_")) {
                    sb.append(header.get(j)).append('=').append(c.get(j)).append(' ');
                }
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** The fields of one CSV line as {@link #csv} writes it (quoted fields may hold commas and doubled quotes). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                f.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(ch);
            }
        }
        out.add(f.toString());
        return out;
    }

    private static String value(Object v) {
        String s = v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(v);
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
