package dev.sofim.stats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Performance profiles (E. D. Dolan, J. J. Moré, "Benchmarking optimization software with performance profiles",
 * Math. Program. 91, 2002), as AlgoPerf scores submissions: for problem p and method s with cost t_{p,s} (+∞: not
 * solved), the ratio r_{p,s} = t_{p,s} / min_s t_{p,s}, and ρ_s(τ) = |{p : r_{p,s} ≤ τ}| / |P|, the fraction of
 * problems a method solves within a factor τ of the best. A problem no method solves counts as unsolved for all.
 *
 * @param methods  the methods, in the order given
 * @param problems the problems, in the order given
 * @param ratios   {@code ratios[s][p]} = r_{p,s} (+∞ when not solved)
 */
public record PerformanceProfile(List<String> methods, List<String> problems, double[][] ratios) {

    /** The profile of {@code costs.get(problem).get(method)} (every problem must name every method). */
    public static PerformanceProfile of(List<String> methods, Map<String, Map<String, Double>> costs) {
        List<String> problems = List.copyOf(costs.keySet());
        double[][] r = new double[methods.size()][problems.size()];
        for (int p = 0; p < problems.size(); p++) {
            Map<String, Double> row = costs.get(problems.get(p));
            double best = Double.POSITIVE_INFINITY;
            for (String m : methods) {
                Double c = row.get(m);
                if (c == null || Double.isNaN(c) || c <= 0) {
                    throw new IllegalArgumentException("problem " + problems.get(p) + ": method " + m
                            + " needs a cost > 0 (+∞: not solved), got " + c);
                }
                best = Math.min(best, c);
            }
            for (int s = 0; s < methods.size(); s++) {
                double c = row.get(methods.get(s));
                r[s][p] = Double.isInfinite(best) || Double.isInfinite(c) ? Double.POSITIVE_INFINITY : c / best;
            }
        }
        return new PerformanceProfile(List.copyOf(methods), problems, r);
    }

    /** ρ_s(τ) for the method at index s. */
    public double rho(int s, double tau) {
        return Arrays.stream(ratios[s]).filter(x -> x <= tau).count() / (double) problems.size();
    }

    /** ρ_s(τ) per method, in method order. */
    public Map<String, Double> at(double tau) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int s = 0; s < methods.size(); s++) {
            m.put(methods.get(s), rho(s, tau));
        }
        return m;
    }

    /** The largest finite ratio (the right end of a plot; 1 when every ratio is 1 or ∞). */
    public double maxFiniteRatio() {
        return Arrays.stream(ratios).flatMapToDouble(Arrays::stream).filter(Double::isFinite).max().orElse(1);
    }
}
