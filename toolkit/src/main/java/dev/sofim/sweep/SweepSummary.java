package dev.sofim.sweep;

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
import java.util.stream.Collectors;

/**
 * Every cell of a sweep as one CSV row: cell id, its place on each axis, the optimizer's type and resolved settings,
 * the seed, epochs run, the metrics after the last epoch, epochs and seconds to each target the base sets (blank when
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
        header.addAll(List.of("type", "settings", "seed", "epochs", "train_loss", "test_loss", "test_accuracy"));
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
            row.add(String.valueOf(c.seed()));
            Results r = store.results(c);
            List<EpochRecord> run = r == null ? List.of() : r.run(c.optimizer(), c.seed());
            EpochRecord last = run.isEmpty() ? null : run.get(run.size() - 1);
            row.add(String.valueOf(run.size()));
            for (Metric m : List.of(Metric.TRAIN_LOSS, Metric.TEST_LOSS, Metric.TEST_ACCURACY)) {
                row.add(last == null ? "" : String.valueOf(last.metric(m)));
            }
            for (Metric m : targets) {
                TimeToTarget t = r == null ? null : r.timeToTarget().stream().filter(x -> x.metric() == m).findFirst().orElse(null);
                boolean reached = t != null && t.reached() > 0;
                row.add(reached ? String.valueOf(t.epochs().get(0)) : "");
                row.add(reached ? String.valueOf(t.seconds().get(0)) : "");
            }
            row.add(r == null ? "" : r.divergences().stream().map(d -> String.valueOf(d.epoch())).findFirst().orElse(""));
            sb.append(String.join(",", row)).append('\n');
        }
        return sb.toString();
    }

    private static String value(Object v) {
        String s = v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(v);
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
