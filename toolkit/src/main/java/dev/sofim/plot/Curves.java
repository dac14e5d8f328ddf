package dev.sofim.plot;

import dev.sofim.experiment.EpochRecord;
import dev.sofim.experiment.EvalPoint;
import dev.sofim.experiment.Metric;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One optimizer's curve over seeds: per epoch, the mean, min and max of a metric, the mean wall time
 * and the mean gradient evaluations. Epochs that not every seed has finished yet are left out of the band
 * but kept in the mean.
 */
public record Curves(double[] epochs, double[] seconds, double[] evaluations, double[] mean, double[] min, double[] max,
                     int seeds) {

    public static Curves of(Collection<EpochRecord> records, Metric metric) {
        Map<Integer, List<EpochRecord>> byEpoch = new TreeMap<>();
        for (EpochRecord r : records) {
            byEpoch.computeIfAbsent(r.epoch(), k -> new ArrayList<>()).add(r);
        }
        int n = byEpoch.size();
        double[] e = new double[n], s = new double[n], ev = new double[n], mean = new double[n], min = new double[n], max = new double[n];
        int i = 0;
        int seeds = 0;
        for (Map.Entry<Integer, List<EpochRecord>> en : byEpoch.entrySet()) {
            List<EpochRecord> rs = en.getValue();
            seeds = Math.max(seeds, rs.size());
            e[i] = en.getKey();
            s[i] = rs.stream().mapToDouble(EpochRecord::seconds).average().orElse(Double.NaN);
            ev[i] = rs.stream().mapToDouble(EpochRecord::gradientEvaluations).average().orElse(Double.NaN);
            mean[i] = rs.stream().mapToDouble(r -> r.metric(metric)).average().orElse(Double.NaN);
            min[i] = rs.stream().mapToDouble(r -> r.metric(metric)).min().orElse(Double.NaN);
            max[i] = rs.stream().mapToDouble(r -> r.metric(metric)).max().orElse(Double.NaN);
            i++;
        }
        return new Curves(e, s, ev, mean, min, max, seeds);
    }

    /**
     * The same from a run's evaluation points (about 40 a run, {@code evals.csv}): the k-th point of every seed
     * together (seeds of one config share their evaluation steps), x = the seeds' mean epoch-so-far, training seconds
     * (evaluation excluded) and gradient evaluations. Points that not every seed has reached are left out of the band.
     */
    public static Curves ofPoints(Collection<EvalPoint> points, Metric metric) {
        Map<Long, List<EvalPoint>> bySeed = new TreeMap<>();
        for (EvalPoint p : points) {
            bySeed.computeIfAbsent(p.seed(), k -> new ArrayList<>()).add(p);
        }
        int n = bySeed.values().stream().mapToInt(List::size).max().orElse(0);
        double[] e = new double[n], s = new double[n], ev = new double[n], mean = new double[n], min = new double[n], max = new double[n];
        for (int k = 0; k < n; k++) {
            List<EvalPoint> at = new ArrayList<>();
            for (List<EvalPoint> run : bySeed.values()) {
                if (k < run.size()) {
                    at.add(run.get(k));
                }
            }
            e[k] = at.stream().mapToDouble(EvalPoint::epoch).average().orElse(Double.NaN);
            s[k] = at.stream().mapToDouble(EvalPoint::seconds).average().orElse(Double.NaN);
            ev[k] = at.stream().mapToDouble(EvalPoint::gradientEvaluations).average().orElse(Double.NaN);
            mean[k] = at.stream().mapToDouble(p -> p.metric(metric)).average().orElse(Double.NaN);
            min[k] = at.stream().mapToDouble(p -> p.metric(metric)).min().orElse(Double.NaN);
            max[k] = at.stream().mapToDouble(p -> p.metric(metric)).max().orElse(Double.NaN);
        }
        return new Curves(e, s, ev, mean, min, max, bySeed.size());
    }

    /** The x values of an axis. */
    public double[] x(XAxis axis) {
        return switch (axis) {
            case EPOCH -> epochs;
            case SECONDS -> seconds;
            case GRADIENT_EVALUATIONS -> evaluations;
        };
    }

    public int size() {
        return epochs.length;
    }
}
