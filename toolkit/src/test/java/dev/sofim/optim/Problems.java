package dev.sofim.optim;

import java.util.Random;

/** Small deterministic test problems with known minima. */
final class Problems {
    private Problems() {
    }

    interface Problem {
        int dimension();

        double[] start();

        /** Loss at θ; fills {@code grad} with ∇loss(θ). */
        double lossAndGradient(double[] theta, double[] grad);

        /** The minimum loss (known or computed). */
        double minimum();
    }

    /** f(θ) = ½ Σ aᵢ (θᵢ − cᵢ)², with aᵢ log-spaced from 1 to {@code condition}. */
    static Problem quadratic(int n, double condition) {
        double[] a = new double[n];
        double[] c = new double[n];
        Random rng = new Random(7);
        for (int i = 0; i < n; i++) {
            a[i] = Math.pow(condition, i / (double) (n - 1));
            c[i] = rng.nextGaussian();
        }
        return new Problem() {
            public int dimension() {
                return n;
            }

            public double[] start() {
                return new double[n];
            }

            public double lossAndGradient(double[] t, double[] g) {
                double f = 0;
                for (int i = 0; i < n; i++) {
                    double r = t[i] - c[i];
                    f += 0.5 * a[i] * r * r;
                    g[i] = a[i] * r;
                }
                return f;
            }

            public double minimum() {
                return 0;
            }
        };
    }

    /** Mean logistic loss of a linear model (with bias) on seeded, overlapping two-class data, plus ½·1e-2‖w‖². */
    static Problem logistic(int examples, int features) {
        Random rng = new Random(11);
        double[][] x = new double[examples][features];
        int[] y = new int[examples];
        double[] wTrue = DenseOracle.gaussian(rng, features, 1.0);
        for (int k = 0; k < examples; k++) {
            double z = 0;
            for (int j = 0; j < features; j++) {
                x[k][j] = rng.nextGaussian() * (1 + j % 3);
                z += wTrue[j] * x[k][j];
            }
            y[k] = rng.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
        }
        int n = features + 1;
        double l2 = 1e-2;
        Problem p = new Problem() {
            double min = Double.NaN;

            public int dimension() {
                return n;
            }

            public double[] start() {
                return new double[n];
            }

            public double lossAndGradient(double[] t, double[] g) {
                java.util.Arrays.fill(g, 0);
                double f = 0;
                for (int k = 0; k < examples; k++) {
                    double z = t[features];
                    for (int j = 0; j < features; j++) {
                        z += t[j] * x[k][j];
                    }
                    double pr = 1 / (1 + Math.exp(-z));
                    f += y[k] == 1 ? -Math.log(pr) : -Math.log(1 - pr);
                    double r = (pr - y[k]) / examples;
                    for (int j = 0; j < features; j++) {
                        g[j] += r * x[k][j];
                    }
                    g[features] += r;
                }
                f /= examples;
                for (int j = 0; j < features; j++) {
                    f += 0.5 * l2 * t[j] * t[j];
                    g[j] += l2 * t[j];
                }
                return f;
            }

            public double minimum() {
                if (Double.isNaN(min)) {
                    // Newton-free reference: many small steps of plain gradient descent.
                    double[] t = new double[n];
                    double[] g = new double[n];
                    for (int it = 0; it < 200_000; it++) {
                        lossAndGradient(t, g);
                        for (int i = 0; i < n; i++) {
                            t[i] -= 0.05 * g[i];
                        }
                    }
                    min = lossAndGradient(t, g);
                }
                return min;
            }
        };
        return p;
    }

    /** Runs {@code steps} full-batch steps; returns the final loss. */
    static double run(Problem p, UpdateRule rule, int steps) {
        double[] theta = p.start();
        double[] g = new double[p.dimension()];
        CoreOptimizer opt = CoreOptimizer.of(rule, p.dimension());
        for (int s = 0; s < steps; s++) {
            p.lossAndGradient(theta, g);
            opt.step(theta, g);
        }
        return p.lossAndGradient(theta, g);
    }
}
