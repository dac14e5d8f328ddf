package dev.sofim.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction for m tests (S. Holm, "A simple sequentially rejective multiple test procedure",
 * Scand. J. Statist. 6, 1979): with p-values sorted ascending p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted
 * p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎); rejecting p̃ < α controls the family-wise error rate at α.
 */
public final class Holm {
    private Holm() {
    }

    /** The adjusted p-values, in the order given (NaN entries stay NaN and do not count as tests). */
    public static double[] adjust(double[] p) {
        Integer[] order = IntStream.range(0, p.length).filter(i -> !Double.isNaN(p[i])).boxed()
                .sorted(Comparator.comparingDouble(i -> p[i])).toArray(Integer[]::new);
        int m = order.length;
        double[] out = new double[p.length];
        Arrays.fill(out, Double.NaN);
        double running = 0;
        for (int j = 0; j < m; j++) {
            running = Math.max(running, Math.min(1, (m - j) * p[order[j]]));
            out[order[j]] = running;
        }
        return out;
    }
}
