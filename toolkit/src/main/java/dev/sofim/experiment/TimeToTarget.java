package dev.sofim.experiment;

import java.util.Locale;

/**
 * How soon an optimizer reaches a target, over the seeds of an experiment.
 *
 * @param runs        runs (seeds) with records
 * @param reached     runs that reached the target within their epochs
 * @param meanEpochs  mean epochs to target over the runs that reached it (NaN if none)
 * @param meanSeconds mean training seconds to target over the runs that reached it (NaN if none)
 */
public record TimeToTarget(String optimizer, Metric metric, double target, int runs, int reached, double meanEpochs,
                           double meanSeconds) {

    public String describe() {
        if (reached == 0) {
            return "not reached (0/" + runs + " runs)";
        }
        return String.format(Locale.ROOT, "%.2f epochs, %.1f s%s", meanEpochs, meanSeconds,
                reached < runs ? " (only " + reached + "/" + runs + " runs reached it)" : "");
    }
}
