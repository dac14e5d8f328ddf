package dev.sofim.optim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each SOFIM variant's direction against a dense n×n computation, for n ≤ 50, to 1e-10. */
class SofimOracleTest {
    private static final double TOL = 1e-10;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Variant v : Variant.values()) {
            for (int n : new int[] {1, 2, 7, 50}) {
                for (double rho : new double[] {0.1, 1.0, 10.0}) {
                    out.add(Arguments.of(v, n, rho));
                }
            }
        }
        return out.stream();
    }

    /** Runs steps 1..3 with random gradients; checks the step-3 direction against the oracle. */
    @ParameterizedTest(name = "{0} n={1} rho={2}")
    @MethodSource("cases")
    void directionEqualsDenseSolve(Variant variant, int n, double rho) {
        double beta = 0.8;
        Sofim rule = new Sofim(1.0, beta, variant == Variant.NO_REGULARIZATION ? 0 : rho, variant, Scope.GLOBAL, 0,
                LearningRateSchedule.constant());
        Random rng = new Random(n * 31L + (long) (rho * 7) + variant.ordinal());
        double[] state = new double[rule.stateNames().size() * n];
        double[] m = new double[n];
        for (int t = 1; t <= 3; t++) {
            double[] g = DenseOracle.gaussian(rng, n, 0.5);
            double[] step = g.clone();
            UpdateStep.compute(rule, Vec.of(step), Vec.of(state), null, t, 0, null);

            double[] mHat = new double[n];
            for (int i = 0; i < n; i++) {
                m[i] = beta * m[i] + (1 - beta) * g[i];
                mHat[i] = m[i] / (1 - Math.pow(beta, t));
            }
            double[] expected = switch (variant) {
                case FULL -> DenseOracle.solve(DenseOracle.rankOnePlusRidge(g, rho), mHat);
                case NO_MOMENTUM -> DenseOracle.solve(DenseOracle.rankOnePlusRidge(g, rho), g);
                case DIAGONAL_FIM -> DenseOracle.solve(DenseOracle.diagonalPlusRidge(g, rho), mHat);
                case NO_REGULARIZATION -> pseudoInverseDirection(g, mHat);
            };
            assertTrue(DenseOracle.maxAbsDiff(expected, step) < TOL * Math.max(1, maxAbs(expected)),
                    () -> variant + " differs from the dense oracle by " + DenseOracle.maxAbsDiff(expected, step));
        }
    }

    /**
     * The Moore–Penrose solution of (g gᵀ) d = m̂, checked by its defining properties on dense
     * matrices: A d equals the projection of m̂ onto range(A), and d lies in range(A) = span(g).
     * Returned as the minimum-norm vector with those properties, computed from A's dense entries.
     */
    private static double[] pseudoInverseDirection(double[] g, double[] mHat) {
        double[][] a = DenseOracle.rankOnePlusRidge(g, 0);
        // range(A) = span of A's columns; A's first non-zero column spans it (rank 1).
        int n = g.length;
        int col = 0;
        while (col < n && a[col][col] == 0) {
            col++;
        }
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = a[i][col];
        }
        // p = projection of m̂ onto span(u); then the d = α·u in span(u) with A d = p.
        double uu = 0, um = 0;
        for (int i = 0; i < n; i++) {
            uu += u[i] * u[i];
            um += u[i] * mHat[i];
        }
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = u[i] * um / uu;
        }
        double[] au = DenseOracle.multiply(a, u);
        double alpha = dot(au, p) / dot(au, au);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = alpha * u[i];
        }
        assertTrue(DenseOracle.maxAbsDiff(DenseOracle.multiply(a, d), p) < 1e-9 * Math.max(1, maxAbs(p)));
        return d;
    }

    @Test
    void fisherTimesDirectionIsTheMoment() {
        Random rng = new Random(1);
        int n = 20;
        Sofim rule = Sofim.defaults().withLearningRate(1.0).withRho(0.3);
        double[] state = new double[n];
        double[] g = DenseOracle.gaussian(rng, n, 1.0);
        double[] d = g.clone();
        UpdateStep.compute(rule, Vec.of(d), Vec.of(state), null, 1, 0, null);
        // at t = 1, m̂ = g
        double[] fd = DenseOracle.multiply(DenseOracle.rankOnePlusRidge(g, 0.3), d);
        assertArrayEquals(g, fd, 1e-12);
        double gg = dot(g, g);
        for (int i = 0; i < n; i++) {
            assertEquals(g[i] / (0.3 + gg), d[i], 1e-14);
        }
    }

    @Test
    void largeRhoTendsToScaledMomentum() {
        Random rng = new Random(2);
        int n = 10;
        double rho = 1e8;
        Sofim rule = Sofim.defaults().withLearningRate(1.0).withRho(rho);
        double[] state = new double[n];
        double[] m = new double[n];
        for (int t = 1; t <= 4; t++) {
            double[] g = DenseOracle.gaussian(rng, n, 1.0);
            double[] d = g.clone();
            UpdateStep.compute(rule, Vec.of(d), Vec.of(state), null, t, 0, null);
            for (int i = 0; i < n; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                assertEquals(m[i] / (1 - Math.pow(0.9, t)), rho * d[i], 1e-6);
            }
        }
    }

    @Test
    void noRegularizationIsZeroForZeroGradient() {
        Sofim rule = Sofim.of(Variant.NO_REGULARIZATION).withRho(0);
        double[] state = {0.5, -0.25};
        double[] g = {0, 0};
        UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, 3, 0, null);
        assertArrayEquals(new double[] {0, 0}, g);
        assertArrayEquals(new double[] {0.45, -0.225}, state, 1e-15);
    }

    @Test
    void perBlockScopeSolvesEachBlockSeparately() {
        Random rng = new Random(3);
        int n = 12;
        int[] blocks = {0, 5, 12};
        Sofim rule = Sofim.defaults().withLearningRate(1.0).withRho(0.5).withScope(Scope.PER_LAYER);
        double[] g = DenseOracle.gaussian(rng, n, 1.0);
        double[] d = g.clone();
        UpdateStep.compute(rule, Vec.of(d), Vec.of(new double[n]), null, 1, 0, blocks);
        for (int b = 0; b < 2; b++) {
            double[] gb = java.util.Arrays.copyOfRange(g, blocks[b], blocks[b + 1]);
            double[] expected = DenseOracle.solve(DenseOracle.rankOnePlusRidge(gb, 0.5), gb);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(d, blocks[b], blocks[b + 1]), 1e-12);
        }
        double[] global = g.clone();
        UpdateStep.compute(rule.withScope(Scope.GLOBAL), Vec.of(global), Vec.of(new double[n]), null, 1, 0, blocks);
        assertArrayEquals(DenseOracle.solve(DenseOracle.rankOnePlusRidge(g, 0.5), g), global, 1e-12);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
