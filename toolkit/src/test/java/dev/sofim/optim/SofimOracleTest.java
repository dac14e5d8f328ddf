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

/**
 * Every SOFIM reading × variant × scope against a dense n×n computation (F formed entry by entry and
 * solved by Gaussian elimination), for n ≤ 50, to 1e-10; and the spec's sanity properties.
 */
class SofimOracleTest {
    private static final double TOL = 1e-10;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Reading r : Reading.values()) {
            for (Variant v : Variant.values()) {
                for (Scope scope : Scope.values()) {
                    for (int n : new int[] {1, 2, 7, 50}) {
                        for (double rho : new double[] {0.1, 1.0, 10.0}) {
                            out.add(Arguments.of(r, v, scope, n, rho));
                        }
                    }
                }
            }
        }
        return out.stream();
    }

    /** m ← β·m + (1 − β)·g in place; returns m̂ = m / (1 − β^t), the spec's step 1 written out. */
    static double[] advanceMoment(double[] m, double[] g, double beta, int t) {
        double[] mHat = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = beta * m[i] + (1 - beta) * g[i];
            mHat[i] = m[i] / (1 - Math.pow(beta, t));
        }
        return mHat;
    }

    /** The spec's (u, v) for a reading, written out here independently of {@link Reading}'s own table. */
    static double[][] fisherAndApplied(Reading reading, Variant variant, double[] g, double[] m, double[] mHat) {
        if (variant == Variant.NO_MOMENTUM) {
            return new double[][] {g, g};
        }
        return switch (reading) {
            case PAPER -> new double[][] {mHat, mHat};
            case GRADIENT -> new double[][] {g, mHat};
            case PRECONDITIONED_GRADIENT -> new double[][] {m, g};
        };
    }

    /** d = F⁻¹ v for one block, from dense matrices. */
    static double[] denseDirection(Variant variant, double[] u, double[] v, double rho) {
        return switch (variant) {
            case FULL, NO_MOMENTUM -> DenseOracle.solve(DenseOracle.rankOnePlusRidge(u, rho), v);
            case DIAGONAL_FIM -> DenseOracle.solve(DenseOracle.diagonalPlusRidge(u, rho), v);
            case NO_REGULARIZATION -> pseudoInverseDirection(u, v);
            case NO_FISHER -> DenseOracle.solve(DenseOracle.rankOnePlusRidge(new double[u.length], rho), v);
        };
    }

    /** Runs steps 1..3 with random gradients; checks each step's direction against the oracle, block by block. */
    @ParameterizedTest(name = "{0} {1} {2} n={3} rho={4}")
    @MethodSource("cases")
    void directionEqualsDenseSolve(Reading reading, Variant variant, Scope scope, int n, double rho) {
        double beta = 0.8;
        Sofim rule = new Sofim(1.0, beta, variant == Variant.NO_REGULARIZATION ? 0 : rho, reading, variant, scope, 0,
                LearningRateSchedule.constant());
        int[] blocks = n < 2 || scope == Scope.GLOBAL ? new int[] {0, n}
                : scope == Scope.PER_LAYER ? new int[] {0, n / 2, n}
                : n >= 3 ? new int[] {0, 1, n - 1, n} : new int[] {0, 1, n};
        Random rng = new Random(n * 31L + (long) (rho * 7) + variant.ordinal() * 5L + reading.ordinal() * 101L);
        double[] state = new double[rule.stateNames().size() * n];
        double[] m = new double[n];
        for (int t = 1; t <= 3; t++) {
            double[] g = DenseOracle.gaussian(rng, n, 0.5);
            double[] step = g.clone();
            UpdateStep.compute(rule, Vec.of(step), Vec.of(state), null, t, 0, blocks);

            double[] mHat = advanceMoment(m, g, beta, t);
            int[] b = scope == Scope.GLOBAL ? new int[] {0, n} : blocks;
            double[] expected = new double[n];
            for (int k = 0; k + 1 < b.length; k++) {
                double[][] uv = fisherAndApplied(reading, variant,
                        java.util.Arrays.copyOfRange(g, b[k], b[k + 1]), java.util.Arrays.copyOfRange(m, b[k], b[k + 1]),
                        java.util.Arrays.copyOfRange(mHat, b[k], b[k + 1]));
                System.arraycopy(denseDirection(variant, uv[0], uv[1], rho), 0, expected, b[k], b[k + 1] - b[k]);
            }
            int tt = t;
            assertTrue(DenseOracle.maxAbsDiff(expected, step) < TOL * Math.max(1, maxAbs(expected)),
                    () -> reading + " " + variant + " " + scope + " step " + tt + " differs from the dense oracle by "
                            + DenseOracle.maxAbsDiff(expected, step));
        }
    }

    /**
     * The Moore–Penrose solution of (u uᵀ) d = v (here named g and m̂), checked by its defining properties on dense
     * matrices: A d equals the projection of m̂ onto range(A), and d lies in range(A) = span(g).
     * Returned as the minimum-norm vector with those properties, computed from A's dense entries.
     */
    private static double[] pseudoInverseDirection(double[] g, double[] mHat) {
        double[][] a = DenseOracle.rankOnePlusRidge(g, 0);
        if (java.util.Arrays.stream(g).allMatch(x -> x == 0)) {
            return new double[g.length];
        }
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

    /**
     * The Fisher-free control is heavy-ball arithmetic: with β = 0.5, ρ = 2, η = 1 and g₁ = (1, −2), g₂ = (3, 0), by hand
     * m₁ = (0.5, −1), m̂₁ = (1, −2), d₁ = m̂₁/ρ = (0.5, −1); m₂ = (1.75, −0.5), m̂₂ = m₂/0.75, d₂ = (7/6, −1/3). Heavy-ball
     * v₁ = g₁, v₂ = 0.5·v₁ + g₂ = (3.5, −1) at rate η(1 − β)/(ρ(1 − β^t)) = 1/2, 1/3 gives the same steps. For the
     * preconditioned-gradient reading (v = g) it is SGD at η/ρ.
     */
    @Test
    void noFisherIsHeavyBallMomentumAtEtaOverRho() {
        Sofim rule = Sofim.of(Variant.NO_FISHER).withLearningRate(1).withBeta(0.5).withRho(2);
        double[] state = new double[2];
        double[] d1 = {1, -2};
        UpdateStep.compute(rule, Vec.of(d1), Vec.of(state), null, 1, 0, null);
        assertArrayEquals(new double[] {0.5, -1}, d1, 1e-15);
        double[] d2 = {3, 0};
        UpdateStep.compute(rule, Vec.of(d2), Vec.of(state), null, 2, 0, null);
        assertArrayEquals(new double[] {7.0 / 6, -1.0 / 3}, d2, 1e-15);
        double[] hb1 = {1, -2};
        double[] hb2 = {0.5 * 1 + 3, 0.5 * -2 + 0};
        assertArrayEquals(new double[] {hb1[0] / 2, hb1[1] / 2}, new double[] {0.5, -1}, 0);
        assertArrayEquals(new double[] {hb2[0] / 3, hb2[1] / 3}, d2, 1e-15);
        for (Scope scope : Scope.values()) {
            double[] g = {4, -6, 1};
            UpdateStep.compute(rule.withReading(Reading.PRECONDITIONED_GRADIENT).withScope(scope), Vec.of(g),
                    Vec.of(new double[3]), null, 1, 0, new int[] {0, 1, 3});
            assertArrayEquals(new double[] {2, -3, 0.5}, g, 1e-15, scope.toString());
        }
    }

    @Test
    void noRegularizationIsZeroWhenTheFisherVectorIsZero() {
        // GRADIENT reading: u = g = 0 gives d = 0 while the moment still decays.
        Sofim rule = Sofim.of(Variant.NO_REGULARIZATION).withRho(0).withReading(Reading.GRADIENT);
        double[] state = {0.5, -0.25};
        double[] g = {0, 0};
        UpdateStep.compute(rule, Vec.of(g), Vec.of(state), null, 3, 0, null);
        assertArrayEquals(new double[] {0, 0}, g);
        assertArrayEquals(new double[] {0.45, -0.225}, state, 1e-15);
        // PAPER reading: u = m̂ = 0 only when the moment is zero too.
        double[] zero = {0, 0};
        UpdateStep.compute(rule.withReading(Reading.PAPER), Vec.of(zero), Vec.of(new double[2]), null, 1, 0, null);
        assertArrayEquals(new double[] {0, 0}, zero);
    }

    /** The spec's sanity properties of the paper reading: d ∥ m̂, ‖d‖ ≤ ‖m̂‖/ρ and ‖d‖ ≤ 1/(2√ρ). */
    @ParameterizedTest(name = "rho={0}")
    @org.junit.jupiter.params.provider.ValueSource(doubles = {1e-4, 0.01, 1, 100})
    void paperDirectionIsTheMomentRescaled(double rho) {
        Random rng = new Random(5);
        int n = 30;
        double beta = 0.9;
        Sofim rule = Sofim.defaults().withLearningRate(1.0).withRho(rho);
        assertEquals(Reading.PAPER, rule.reading());
        double[] state = new double[n];
        double[] m = new double[n];
        for (int t = 1; t <= 6; t++) {
            double[] g = DenseOracle.gaussian(rng, n, t * 0.7);
            double[] d = g.clone();
            UpdateStep.compute(rule, Vec.of(d), Vec.of(state), null, t, 0, null);
            double[] mHat = advanceMoment(m, g, beta, t);
            double norm = Math.sqrt(dot(mHat, mHat));
            double dn = Math.sqrt(dot(d, d));
            assertEquals(1.0, dot(d, mHat) / (dn * norm), 1e-12, "d parallel to m̂ at step " + t);
            assertTrue(dn <= norm / rho * (1 + 1e-12), "‖d‖ ≤ ‖m̂‖/ρ at step " + t);
            assertTrue(dn <= 1 / (2 * Math.sqrt(rho)) * (1 + 1e-12), "‖d‖ ≤ 1/(2√ρ) at step " + t + ": " + dn);
            for (int i = 0; i < n; i++) {
                assertEquals(mHat[i] / (rho + norm * norm), d[i], 1e-14 * Math.max(1, Math.abs(d[i])));
            }
        }
    }

    /** As ρ grows, ρ·d → v for every reading (SGD with EMA momentum, or plain SGD for PRECONDITIONED_GRADIENT). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Reading.class)
    void largeRhoTendsToTheAppliedVector(Reading reading) {
        Random rng = new Random(6);
        int n = 10;
        double rho = 1e8;
        Sofim rule = Sofim.of(reading).withLearningRate(1.0).withRho(rho);
        double[] state = new double[n];
        double[] m = new double[n];
        for (int t = 1; t <= 4; t++) {
            double[] g = DenseOracle.gaussian(rng, n, 1.0);
            double[] d = g.clone();
            UpdateStep.compute(rule, Vec.of(d), Vec.of(state), null, t, 0, null);
            double[] mHat = advanceMoment(m, g, 0.9, t);
            double[] v = fisherAndApplied(reading, Variant.FULL, g, m, mHat)[1];
            for (int i = 0; i < n; i++) {
                assertEquals(v[i], rho * d[i], 1e-6);
            }
        }
    }

    /** Without momentum there is nothing to read differently: every reading gives the same bits. */
    @Test
    void withoutMomentumAllReadingsCoincide() {
        Random rng = new Random(8);
        int n = 40;
        double[][] steps = new double[Reading.values().length][];
        double[][] gs = new double[5][];
        for (int t = 0; t < gs.length; t++) {
            gs[t] = DenseOracle.gaussian(rng, n, 1.0);
        }
        for (Reading r : Reading.values()) {
            CoreOptimizer opt = CoreOptimizer.of(Sofim.of(Variant.NO_MOMENTUM).withReading(r).withRho(0.5), n);
            double[] theta = new double[n];
            for (double[] g : gs) {
                opt.step(theta, g);
            }
            steps[r.ordinal()] = theta;
        }
        assertArrayEquals(steps[0], steps[1]);
        assertArrayEquals(steps[0], steps[2]);
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
