package dev.sofim.stats;

import java.util.Arrays;
import java.util.Comparator;

/** Ranks with ties averaged (+∞ ranks last), and the tie term Σ(t³ − t) over groups of t equal values. */
final class Ranks {
    private Ranks() {
    }

    /** 1-based ranks of {@code v}, tied values sharing their mean rank. */
    static double[] average(double[] v) {
        int n = v.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = mean;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Σ(t³ − t) over the groups of t equal values (0 without ties). */
    static double tieTerm(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double term = 0;
        int i = 0;
        while (i < s.length) {
            int j = i;
            while (j + 1 < s.length && s[j + 1] == s[i]) {
                j++;
            }
            double t = j - i + 1;
            term += t * t * t - t;
            i = j + 1;
        }
        return term;
    }
}
