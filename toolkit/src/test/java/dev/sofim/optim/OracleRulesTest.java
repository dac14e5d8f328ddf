package dev.sofim.optim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle optimizers against dense references on softmax regression: the closed-form Hessian built
 * entry by entry here (no code shared with {@link SoftmaxRegression#exactHessianVectorProduct}), BFGS as
 * dense inverse updates, Nyström as a dense (C W⁻¹ Cᵀ + ρI) solve, Hutchinson with the same probes.
 */
class OracleRulesTest {
    static final int CLASSES = 4, FEATURES = 5;

    /** 40 Gaussian rows of 5 features with random labels, and the problem on them. */
    record Problem(double[][] x, SoftmaxRegression p) {
    }

    static Problem problem(long seed) {
        Random rng = new Random(seed);
        int n = 40;
        double[][] x = new double[n][FEATURES];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i][j] = rng.nextGaussian();
            }
            y[i] = rng.nextInt(CLASSES);
        }
        return new Problem(x, new SoftmaxRegression(x, y, CLASSES));
    }

    /** H entry by entry: H[(c,j),(c',j')] = (1/N) Σ_i (p_c δ_cc' − p_c p_c') x̃_ij x̃_ij'. */
    static double[][] denseHessian(SoftmaxRegression p, double[][] x, double[] theta) {
        int k = p.classes(), d = p.features(), n = p.dimension();
        double[][] h = new double[n][n];
        for (double[] xi : x) {
            double[] z = new double[k];
            for (int c = 0; c < k; c++) {
                z[c] = theta[k * d + c];
                for (int j = 0; j < d; j++) {
                    z[c] += theta[c * d + j] * xi[j];
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c]);
            }
            double[] pr = new double[k];
            for (int c = 0; c < k; c++) {
                pr[c] = Math.exp(z[c]) / sum;
            }
            for (int c = 0; c < k; c++) {
                for (int j = 0; j <= d; j++) {
                    for (int c2 = 0; c2 < k; c2++) {
                        for (int j2 = 0; j2 <= d; j2++) {
                            double xa = j == d ? 1 : xi[j], xb = j2 == d ? 1 : xi[j2];
                            int a = j == d ? k * d + c : c * d + j, b = j2 == d ? k * d + c2 : c2 * d + j2;
                            h[a][b] += ((c == c2 ? pr[c] : 0) - pr[c] * pr[c2]) * xa * xb / x.length;
                        }
                    }
                }
            }
        }
        return h;
    }

    static double relativeError(double[] a, double[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    /** Documented tolerance of the finite-difference product in double precision (CountingOracle). */
    static final double FD_TOLERANCE = 1e-7;

    @Test
    void finiteDifferenceAndExactProductsMatchTheClosedFormHessian() {
        Problem problem = problem(1);
        SoftmaxRegression p = problem.p();
        Random rng = new Random(2);
        for (double scale : new double[] {0.01, 1, 30}) {
            double[] theta = DenseOracle.gaussian(rng, p.dimension(), scale);
            double[][] h = denseHessian(p, problem.x(), theta);
            for (int trial = 0; trial < 3; trial++) {
                double[] v = trial == 0 ? AdaHessian.rademacher(p.dimension(), new SplittableRandom(trial))
                        : DenseOracle.gaussian(rng, p.dimension(), 1);
                double[] want = DenseOracle.multiply(h, v);
                double[] fd = new double[p.dimension()], exact = new double[p.dimension()];
                CountingOracle counting = new CountingOracle(GradientOracle.withoutExactProduct(p), 1);
                counting.hessianVectorProduct(theta, v, fd);
                assertEquals(2, counting.evaluations(), "a central difference costs two gradients");
                new CountingOracle(p, 1).hessianVectorProduct(theta, v, exact);
                assertTrue(relativeError(exact, want) < 1e-12, "exact product, scale " + scale);
                if (scale < 30) { // at θ ~ 30 softmax saturates and H·v is at rounding level
                    assertTrue(relativeError(fd, want) < FD_TOLERANCE,
                            "finite difference, scale " + scale + ": " + relativeError(fd, want));
                }
            }
        }
    }

    @Test
    void adaHessianFollowsHutchinsonWithTheSameProbes() {
        Problem problem = problem(3);
        SoftmaxRegression p = problem.p();
        int n = p.dimension();
        // Segments: W as kernels of size 5 (as if 4 filters of 1×5), b plain: spatial averaging over 5.
        ParameterLayout layout = new ParameterLayout(new int[] {0, CLASSES * FEATURES, n}, new int[] {FEATURES, 1});
        AdaHessian rule = new AdaHessian(0.1, 0.9, 0.99, 1e-4, 0.7, 2, true);
        double[] theta = DenseOracle.gaussian(new Random(4), n, 0.5), ref = theta.clone();
        double[] state = new double[rule.stateLength(n)];
        double[] m = new double[n], v = new double[n], dStar = new double[n];
        for (int t = 1; t <= 5; t++) {
            double[] g = new double[n], gRef = new double[n];
            double loss = p.gradient(theta, g);
            p.gradient(ref, gRef);
            rule.step(theta, g, loss, new CountingOracle(p, t), state, t, layout, new SplittableRandom(100 + t));
            if ((t - 1) % 2 == 0) {
                double[] z = AdaHessian.rademacher(n, new SplittableRandom(100 + t));
                double[] hz = DenseOracle.multiply(denseHessian(p, problem.x(), ref), z);
                for (int s = 0; s < n; ) {
                    int k = s < CLASSES * FEATURES ? FEATURES : 1;
                    double mean = 0;
                    for (int i = s; i < s + k; i++) {
                        mean += Math.abs(z[i] * hz[i]) / k;
                    }
                    for (int i = s; i < s + k; i++) {
                        dStar[i] = mean;
                    }
                    s += k;
                }
            }
            for (int i = 0; i < n; i++) {
                m[i] = 0.9 * m[i] + 0.1 * gRef[i];
                v[i] = 0.99 * v[i] + 0.01 * dStar[i] * dStar[i];
                double denom = Math.pow(v[i] / (1 - Math.pow(0.99, t)), 0.35) + 1e-4;
                ref[i] -= 0.1 / (1 - Math.pow(0.9, t)) * m[i] / denom;
            }
            assertArrayEquals(ref, theta, 1e-12, "step " + t);
        }
    }

    @ParameterizedTest
    @MethodSource("histories")
    void lbfgsFollowsTheDenseBfgsInverse(int history) {
        Problem problem = problem(5);
        SoftmaxRegression p = problem.p();
        int n = p.dimension();
        Lbfgs rule = new Lbfgs(0.5, history, 1e-8, false);
        double[] theta = DenseOracle.gaussian(new Random(6), n, 0.3), ref = theta.clone();
        double[] state = new double[rule.stateLength(n)];
        List<double[][]> pairs = new ArrayList<>();
        for (int t = 1; t <= 7; t++) {
            double[] g = new double[n];
            double loss = p.gradient(theta, g);
            CountingOracle counting = new CountingOracle(p, t);
            rule.step(theta, g, loss, counting, state, t, ParameterLayout.flat(n), new SplittableRandom(0));
            assertEquals(1, counting.evaluations(), "one gradient at the new point");

            double[] gRef = new double[n];
            p.gradient(ref, gRef);
            double[][] hInv = new double[n][n];
            List<double[][]> last = pairs.subList(Math.max(0, pairs.size() - history), pairs.size());
            double gamma = 1;
            if (!last.isEmpty()) {
                double[] s = last.get(last.size() - 1)[0], y = last.get(last.size() - 1)[1];
                gamma = dot(s, y) / dot(y, y);
            }
            for (int i = 0; i < n; i++) {
                hInv[i][i] = gamma;
            }
            for (double[][] pair : last) { // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ
                double[] s = pair[0], y = pair[1];
                double rho = 1 / dot(s, y);
                double[][] left = new double[n][n], next = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double a = 0;
                        for (int q = 0; q < n; q++) {
                            a += ((i == q ? 1 : 0) - rho * s[i] * y[q]) * hInv[q][j];
                        }
                        left[i][j] = a;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double a = 0;
                        for (int q = 0; q < n; q++) {
                            a += left[i][q] * ((q == j ? 1 : 0) - rho * y[q] * s[j]);
                        }
                        next[i][j] = a + rho * s[i] * s[j];
                    }
                }
                hInv = next;
            }
            double[] d = DenseOracle.multiply(hInv, gRef);
            double[] newRef = new double[n], gNew = new double[n];
            for (int i = 0; i < n; i++) {
                newRef[i] = ref[i] - 0.5 * d[i];
            }
            p.gradient(newRef, gNew);
            double[] s = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = newRef[i] - ref[i];
                y[i] = gNew[i] - gRef[i];
            }
            pairs.add(new double[][] {s, y});
            ref = newRef;
            assertArrayEquals(ref, theta, 1e-10 * (1 + norm(ref)), "step " + t + ", history " + history);
        }
        assertEquals(0, Lbfgs.skippedPairs(state), "a convex problem gives positive curvature");
    }

    static Stream<Integer> histories() {
        return Stream.of(1, 3, 10);
    }

    @Test
    void lbfgsSkipsPairsWithoutCurvatureAndBacktracks() {
        // f(θ) = −‖θ‖²/2 (concave): every pair has sᵀy < 0 and is skipped.
        GradientOracle concave = new GradientOracle() {
            public int dimension() {
                return 3;
            }

            public double gradient(double[] th, double[] g) {
                double f = 0;
                for (int i = 0; i < 3; i++) {
                    g[i] = -th[i];
                    f -= th[i] * th[i] / 2;
                }
                return f;
            }

            public double unitRoundoff() {
                return GradientOracle.DOUBLE_ROUNDOFF;
            }
        };
        OracleOptimizer opt = new OracleOptimizer(new Lbfgs(0.1, 5, 1e-4, false), ParameterLayout.flat(3), 1);
        double[] theta = {1, 2, 3};
        for (int t = 0; t < 4; t++) {
            double[] g = new double[3];
            double f = concave.gradient(theta, g);
            opt.step(theta, g, f, concave);
        }
        assertEquals(4, Lbfgs.skippedPairs(opt.state()));
        assertEquals(8, opt.gradientEvaluations());

        // Armijo on a steep quadratic: η = 1 overshoots f = 50θ², halving until sufficient decrease.
        GradientOracle steep = quadratic(100);
        OracleOptimizer ls = new OracleOptimizer(new Lbfgs(1, 5, 1e-4, true), ParameterLayout.flat(1), 1);
        double[] th = {1};
        double[] g = new double[1];
        double f0 = steep.gradient(th, g);
        ls.step(th, g, f0, steep);
        double[] g1 = new double[1];
        assertTrue(steep.gradient(th, g1) <= f0 - Lbfgs.ARMIJO_C1 * 100 * Math.abs(1 - th[0]) / 100, "decrease");
        assertEquals(1 - 1.0 / 64 * 100, th[0], 1e-12, "η halved six times: the first trial with sufficient decrease");
    }

    static GradientOracle quadratic(double curvature) {
        return new GradientOracle() {
            public int dimension() {
                return 1;
            }

            public double gradient(double[] th, double[] g) {
                g[0] = curvature * th[0];
                return curvature * th[0] * th[0] / 2;
            }

            public double unitRoundoff() {
                return GradientOracle.DOUBLE_ROUNDOFF;
            }
        };
    }

    @ParameterizedTest
    @MethodSource("refreshes")
    void nystromFollowsTheDenseRegularizedSolve(int refresh) {
        Problem problem = problem(7);
        SoftmaxRegression p = problem.p();
        int n = p.dimension(), k = 3;
        NystromSgd rule = new NystromSgd(0.7, k, refresh, 0.05);
        double[] theta = DenseOracle.gaussian(new Random(8), n, 0.3), ref = theta.clone();
        double[] state = new double[rule.stateLength(n)];
        double[][] hHat = null;
        for (int t = 1; t <= 5; t++) {
            double[] g = new double[n];
            double loss = p.gradient(theta, g);
            CountingOracle counting = new CountingOracle(p, t);
            rule.step(theta, g, loss, counting, state, t, ParameterLayout.flat(n), new SplittableRandom(50 + t));
            boolean fresh = (t - 1) % refresh == 0;
            assertEquals(fresh ? k * CountingOracle.EXACT_HVP_COST : 0, counting.evaluations());
            if (fresh) {
                int[] omega = new SplittableRandom(50 + t).ints(0, n).distinct().limit(k).toArray();
                double[][] h = denseHessian(p, problem.x(), ref);
                double[][] w = new double[k][k];
                double[][] c = new double[n][k];
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        w[a][b] = h[omega[a]][omega[b]];
                    }
                    for (int i = 0; i < n; i++) {
                        c[i][a] = h[i][omega[a]];
                    }
                }
                double[][] wInvCt = new double[k][n]; // W⁻¹ Cᵀ, column by column
                for (int i = 0; i < n; i++) {
                    double[] col = DenseOracle.solve(w, c[i]);
                    for (int a = 0; a < k; a++) {
                        wInvCt[a][i] = col[a];
                    }
                }
                hHat = new double[n][n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        for (int a = 0; a < k; a++) {
                            hHat[i][j] += c[i][a] * wInvCt[a][j];
                        }
                    }
                }
            }
            double[][] reg = new double[n][n];
            for (int i = 0; i < n; i++) {
                reg[i] = hHat[i].clone();
                reg[i][i] += 0.05;
            }
            double[] gRef = new double[n];
            p.gradient(ref, gRef);
            double[] d = DenseOracle.solve(reg, gRef);
            for (int i = 0; i < n; i++) {
                ref[i] -= 0.7 * d[i];
            }
            assertArrayEquals(ref, theta, 1e-9 * (1 + norm(ref)), "step " + t + ", refresh every " + refresh);
        }
    }

    static Stream<Integer> refreshes() {
        return Stream.of(1, 2);
    }

    @Test
    void nystromStepIsBoundedByTheRidgeOnANonConvexProblem() {
        // f = Σ a_i θ_i²/2 with mixed signs: W indefinite, made semi-definite by |Λ|: ‖d‖ ≤ ‖g‖/ρ.
        double[] a = {3, -2, 0.5, -0.1, 1};
        GradientOracle saddle = new GradientOracle() {
            public int dimension() {
                return 5;
            }

            public double gradient(double[] th, double[] g) {
                double f = 0;
                for (int i = 0; i < 5; i++) {
                    g[i] = a[i] * th[i];
                    f += a[i] * th[i] * th[i] / 2;
                }
                return f;
            }

            public double unitRoundoff() {
                return GradientOracle.DOUBLE_ROUNDOFF;
            }
        };
        NystromSgd rule = new NystromSgd(1, 4, 1, 0.5);
        double[] theta = {1, 1, 1, 1, 1}, g = new double[5];
        double f = saddle.gradient(theta, g);
        double[] before = theta.clone();
        rule.step(theta, g, f, new CountingOracle(saddle, 1), new double[rule.stateLength(5)], 1,
                ParameterLayout.flat(5), new SplittableRandom(1));
        double[] d = new double[5];
        for (int i = 0; i < 5; i++) {
            d[i] = before[i] - theta[i];
        }
        assertTrue(norm(d) <= norm(g) / 0.5 + 1e-12, "‖d‖ = " + norm(d));
    }

    @Test
    void oracleOptimizerSnapshotResumesExactly() {
        Problem problem = problem(9);
        SoftmaxRegression p = problem.p();
        int n = p.dimension();
        for (OracleRule rule : List.of(AdaHessian.defaults(), Lbfgs.defaults(), new NystromSgd(0.1, 3, 2, 1))) {
            OracleOptimizer a = new OracleOptimizer(rule, ParameterLayout.flat(n), 11);
            double[] ta = DenseOracle.gaussian(new Random(1), n, 0.2), tb = null;
            OracleOptimizer b = null;
            for (int t = 0; t < 6; t++) {
                if (t == 3) {
                    b = new OracleOptimizer(rule, ParameterLayout.flat(n), 11);
                    b.restore(a.snapshot());
                    tb = ta.clone();
                }
                stepOnce(a, ta, GradientOracle.withoutExactProduct(p));
                if (b != null) {
                    stepOnce(b, tb, GradientOracle.withoutExactProduct(p));
                }
            }
            assertArrayEquals(ta, tb, 0, rule.toString());
            assertEquals(a, b, rule.toString());
            OracleOptimizer wrongSeed = new OracleOptimizer(rule, ParameterLayout.flat(n), 12);
            double[] snap = a.snapshot();
            assertThrows(IllegalArgumentException.class, () -> wrongSeed.restore(snap));
        }
    }

    /** A rule's stated evaluations per step (what plans and tables quote) are the ones the optimizer counts. */
    @Test
    void statedEvaluationsPerStepAreTheCountedOnes() {
        SoftmaxRegression p = problem(4).p();
        int n = p.dimension();
        for (OracleRule rule : List.of(AdaHessian.defaults().withHessianInterval(3), Lbfgs.defaults(),
                new NystromSgd(0.1, 3, 4, 1))) {
            OracleOptimizer o = new OracleOptimizer(rule, ParameterLayout.flat(n), 5);
            double[] theta = DenseOracle.gaussian(new Random(2), n, 0.2);
            int steps = 12;
            for (int t = 0; t < steps; t++) {
                stepOnce(o, theta, GradientOracle.withoutExactProduct(p));
            }
            assertEquals(steps * rule.evaluationsPerStep(), o.gradientEvaluations(), 1e-9, rule.toString());
        }
        assertEquals(1, Sofim.defaults().evaluationsPerStep());
    }

    static void stepOnce(OracleOptimizer o, double[] theta, GradientOracle oracle) {
        double[] g = new double[theta.length];
        double f = oracle.gradient(theta, g);
        o.step(theta, g, f, oracle);
    }

    @Test
    void nonFiniteAnswersWriteNothing() {
        // A gradient that is finite at θ but NaN anywhere else: the HVP or the trial gradient is rejected.
        double[] home = {0.5, -0.25};
        GradientOracle poisoned = new GradientOracle() {
            public int dimension() {
                return 2;
            }

            public double gradient(double[] th, double[] g) {
                boolean atHome = th[0] == home[0] && th[1] == home[1];
                g[0] = atHome ? th[0] : Double.NaN;
                g[1] = atHome ? th[1] : Double.NaN;
                return 1;
            }

            public double unitRoundoff() {
                return GradientOracle.DOUBLE_ROUNDOFF;
            }
        };
        for (OracleRule rule : List.of(AdaHessian.defaults(), Lbfgs.defaults(), new Lbfgs(0.1, 2, 1e-4, true),
                new NystromSgd(0.1, 1, 1, 1))) {
            OracleOptimizer o = new OracleOptimizer(rule, ParameterLayout.flat(2), 3);
            double[] theta = home.clone();
            var e = assertThrows(NonFiniteGradientException.class, () -> stepOnce(o, theta, poisoned), rule.toString());
            assertTrue(e.getMessage().contains("left unchanged"), e.getMessage());
            assertArrayEquals(home, theta, 0);
            assertEquals(0, o.steps());
            assertEquals(0, o.gradientEvaluations());
            assertArrayEquals(new double[rule.stateLength(2)], o.state(), 0);
        }
        OracleOptimizer o = new OracleOptimizer(AdaHessian.defaults(), ParameterLayout.flat(2), 3);
        var e = assertThrows(NonFiniteGradientException.class,
                () -> o.step(home.clone(), new double[] {Double.NaN, 1}, 1, poisoned));
        assertEquals(NonFiniteGradientException.GRADIENT, e.quantity());
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }
}
