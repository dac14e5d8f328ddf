package dev.sofim.experiment;

import dev.sofim.optim.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import java.util.function.ToDoubleFunction;

/**
 * A two-knob grid of one optimizer: one named {@link OptimizerSpec} per (x, y), and the grid's results as
 * {@code values[row = y][column = x]} for heat maps. Names are {@code <prefix>-<x>-<y>}, e.g. {@code sofim-3-10}.
 *
 * @param prefix the optimizer names' prefix
 * @param xName  the first knob (columns), e.g. "learning rate"
 * @param ys     the second knob's values (rows)
 * @param rule   the rule at (x, y)
 */
public record Grid(String prefix, String xName, List<Double> xs, String yName, List<Double> ys,
                   BiFunction<Double, Double, Rule> rule) {

    public Grid {
        if (xs.isEmpty() || ys.isEmpty()) {
            throw new IllegalArgumentException("grid '" + prefix + "': " + xName + " and " + yName
                    + " need at least one value each, got " + xs + " and " + ys);
        }
        xs = List.copyOf(xs);
        ys = List.copyOf(ys);
    }

    /** The optimizer's name at (x, y). */
    public String name(double x, double y) {
        return String.format(Locale.ROOT, "%s-%s-%s", prefix, trim(x), trim(y));
    }

    private static String trim(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** Every grid point, rows (y) outer, columns (x) inner. */
    public List<OptimizerSpec> optimizers() {
        List<OptimizerSpec> out = new ArrayList<>();
        for (double y : ys) {
            for (double x : xs) {
                out.add(new OptimizerSpec(name(x, y), rule.apply(x, y)));
            }
        }
        return out;
    }

    /** A value per grid point, the mean over the seeds with records (NaN where none: diverged at once). */
    public double[][] values(Results results, ToDoubleFunction<List<EpochRecord>> ofRun) {
        double[][] v = new double[ys.size()][xs.size()];
        for (int r = 0; r < ys.size(); r++) {
            for (int c = 0; c < xs.size(); c++) {
                String n = name(xs.get(c), ys.get(r));
                OptionalDouble mean = results.config().seeds().stream().map(s -> results.run(n, s))
                        .filter(run -> !run.isEmpty()).mapToDouble(ofRun).filter(d -> !Double.isNaN(d)).average();
                v[r][c] = mean.orElse(Double.NaN);
            }
        }
        return v;
    }

    /** The metric after each run's last epoch. */
    public double[][] finalValues(Results results, Metric metric) {
        return values(results, run -> run.get(run.size() - 1).metric(metric));
    }

    /** Epochs to the target (NaN where not reached). */
    public double[][] epochsTo(Results results, Metric metric, double target) {
        return values(results, run -> run.stream().filter(e -> metric.reached(e.metric(metric), target))
                .mapToDouble(EpochRecord::epoch).findFirst().orElse(Double.NaN));
    }
}
