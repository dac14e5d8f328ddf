package dev.sofim.experiment;

import java.util.List;
import java.util.Locale;

/**
 * How soon an optimizer reaches a target, over the seeds of an experiment.
 *
 * @param runs    runs (seeds) with records
 * @param epochs  epochs to target of each run that reached it, in seed order
 * @param seconds training seconds to target of each run that reached it, in seed order
 * @param evaluations mini-batch gradient evaluations to target of each run that reached it, in seed order
 */
public record TimeToTarget(String optimizer, Metric metric, double target, int runs, List<Integer> epochs,
                           List<Double> seconds, List<Long> evaluations) {

    public TimeToTarget {
        epochs = List.copyOf(epochs);
        seconds = List.copyOf(seconds);
        evaluations = List.copyOf(evaluations);
        if (epochs.size() != seconds.size() || epochs.size() != evaluations.size() || epochs.size() > runs) {
            throw new IllegalArgumentException(epochs.size() + " epoch, " + seconds.size() + " second and "
                    + evaluations.size() + " evaluation counts for " + runs + " runs");
        }
    }

    /** Mean gradient evaluations to target over the runs that reached it (NaN if none). */
    public double meanEvaluations() {
        return evaluations.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }

    /** Runs that reached the target within their epochs. */
    public int reached() {
        return epochs.size();
    }

    /** Mean epochs to target over the runs that reached it (NaN if none). */
    public double meanEpochs() {
        return epochs.stream().mapToInt(Integer::intValue).average().orElse(Double.NaN);
    }

    /** Mean training seconds to target over the runs that reached it (NaN if none). */
    public double meanSeconds() {
        return seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    public int minEpochs() {
        return epochs.stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    public int maxEpochs() {
        return epochs.stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    public double minSeconds() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double maxSeconds() {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Mean, and with more than one run the range over seeds, of epochs and seconds. */
    public String describe() {
        if (reached() == 0) {
            return "not reached (0/" + runs + " runs)";
        }
        String spread = reached() < 2 ? "" : String.format(Locale.ROOT, " [%d–%d ep, %.1f–%.1f s]", minEpochs(),
                maxEpochs(), minSeconds(), maxSeconds());
        return String.format(Locale.ROOT, "%.2f epochs, %.1f s, %.0f gradient evaluations%s%s", meanEpochs(), meanSeconds(),
                meanEvaluations(), spread,
                reached() < runs ? " (only " + reached() + "/" + runs + " runs reached it)" : "");
    }
}
