package dev.sofim.study;

import java.util.Random;

/**
 * A scrambled Halton sequence in [0, 1)^d (J. H. Halton, "On the efficiency of certain quasi-random sequences of points
 * in evaluating multi-dimensional integrals", Numer. Math. 2, 1960): coordinate j of point i is the radical inverse of i
 * in the j-th prime base, with its digits permuted by a random permutation per base and digit position drawn from
 * {@code seed} (Owen-style digit scrambling, which breaks the correlation of the plain sequence in higher bases). The
 * generator is {@code java.util.Random}, specified by the Java language: the same seed gives the same points on every
 * machine and runner. Point indices start at 1.
 */
public final class Halton {
    private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    /** Digit positions scrambled (beyond them the digits are 0): base 2 resolves 2⁻⁴⁰. */
    private static final int DIGITS = 40;

    private final int dimensions;
    private final int[][][] permutations;

    public Halton(int dimensions, long seed) {
        if (dimensions < 1 || dimensions > PRIMES.length) {
            throw new IllegalArgumentException("Halton dimensions must be 1.." + PRIMES.length + ", got " + dimensions);
        }
        this.dimensions = dimensions;
        Random rng = new Random(seed);
        permutations = new int[dimensions][DIGITS][];
        for (int j = 0; j < dimensions; j++) {
            int b = PRIMES[j];
            for (int k = 0; k < DIGITS; k++) {
                int[] p = new int[b];
                for (int x = 0; x < b; x++) {
                    p[x] = x;
                }
                for (int x = b - 1; x > 0; x--) {
                    int y = rng.nextInt(x + 1);
                    int t = p[x];
                    p[x] = p[y];
                    p[y] = t;
                }
                permutations[j][k] = p;
            }
        }
    }

    public int dimensions() {
        return dimensions;
    }

    /** Point {@code index} (≥ 1). */
    public double[] point(long index) {
        if (index < 1) {
            throw new IllegalArgumentException("Halton point indices start at 1, got " + index);
        }
        double[] u = new double[dimensions];
        for (int j = 0; j < dimensions; j++) {
            int b = PRIMES[j];
            long i = index;
            double f = 1.0 / b;
            double v = 0;
            for (int k = 0; k < DIGITS && f > 1e-17; k++) {
                int digit = (int) (i % b);
                v += permutations[j][k][digit] * f;
                i /= b;
                f /= b;
            }
            u[j] = Math.min(v, Math.nextDown(1.0));
        }
        return u;
    }
}
