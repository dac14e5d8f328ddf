package dev.sofim.optim;

import java.util.SplittableRandom;

/**
 * Nyström-SGD: stochastic gradient steps preconditioned by a regularized Nyström approximation of the
 * mini-batch Hessian, after Nys-Newton (Singh, Tankaria and Yamada, "Nys-Newton: Nyström-Approximated
 * Curvature for Stochastic Optimization", arXiv:2110.08577). A Newton-type baseline of the SOFIM paper
 * (arXiv:2403.02833).
 *
 * <p>Every T steps (at t = 1, T + 1, 2T + 1, …) the sketch is rebuilt at θ_t on the step's mini-batch:
 * <pre>
 *   Ω  = k coordinates drawn uniformly without replacement
 *   C  = H·E_Ω               (n×k: k Hessian–vector products with unit vectors, the partial column Hessian)
 *   W  = C[Ω, :] = V Λ Vᵀ     (k×k, symmetrized; eigenvalues with |λ| ≤ {@value #EIGEN_TOLERANCE}·max|λ| dropped)
 *   Y  = C V |Λ|^{−1/2}       so that Ĥ = Y Yᵀ = C |W|⁺ Cᵀ (the Nyström approximation; |W| = W for convex losses)
 *   Y  = Q R (Gram–Schmidt, twice),   R Rᵀ = P S Pᵀ,   U = Q P   so that Ĥ = U S Uᵀ with orthonormal U
 * </pre>
 * and every step uses the current sketch (the Woodbury identity with the orthonormal factor, O(nk) per
 * step, never an n×n matrix):
 * <pre>
 *   d = (Ĥ + ρI)⁻¹ g_t = g_t/ρ − U diag( 1/ρ − 1/(s + ρ) ) Uᵀ g_t,        θ_{t+1} = θ_t − η·d
 * </pre>
 * (the same vector as (g − Y (ρI + YᵀY)⁻¹ Yᵀ g)/ρ, without the cancellation that form suffers when Y has
 * large columns). Defaults: k = {@value #DEFAULT_RANK}, T = {@value #DEFAULT_REFRESH_INTERVAL} (a new sketch
 * every step, as Nys-Newton), ρ = {@value #DEFAULT_RHO}, η = {@value #DEFAULT_LEARNING_RATE}.
 *
 * <p>Differences from the reference: the sources available here give Nys-Newton's algorithm (partial
 * column Hessian of k random variables, Nyström approximation, the step computed directly) but not its
 * defaults for deep networks, so k, ρ and η are ours; the refresh interval T is ours (T = 1 is the
 * reference); an indefinite W (non-convex loss) is made positive semi-definite by |Λ|, which keeps
 * ‖d‖ ≤ ‖g‖/ρ; no momentum and no variance reduction (the reference's Nys-SVRG is not built).
 * Cost: 1 + 2k/T gradient evaluations per step with finite-difference products; state k numbers per
 * parameter (U) plus k + 1.
 *
 * @param learningRate    η > 0
 * @param rank            k ≥ 1 sampled columns
 * @param refreshInterval T ≥ 1 steps between sketches
 * @param rho             ρ > 0, the regularization
 */
public record NystromSgd(double learningRate, int rank, int refreshInterval, double rho) implements OracleRule {
    @Override
    public Kind kind() {
        return Kind.NYSTROM_SGD;
    }

    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final int DEFAULT_RANK = 10;
    public static final int DEFAULT_REFRESH_INTERVAL = 1;
    public static final double DEFAULT_RHO = 1;
    /**
     * Eigenvalues of W below this fraction of the largest (in absolute value) are treated as zero: with
     * finite-difference products in float32, W's entries carry relative noise of about 1e-4, so smaller
     * eigenvalues are noise, and inverting them would put huge fake curvature into Ĥ.
     */
    public static final double EIGEN_TOLERANCE = 1e-6;

    public NystromSgd {
        Hyper.positive("NystromSgd", "learningRate", learningRate);
        Hyper.atLeastOne("NystromSgd", "rank", rank);
        Hyper.atLeastOne("NystromSgd", "refreshInterval", refreshInterval);
        Hyper.positive("NystromSgd", "rho", rho);
    }

    public static NystromSgd defaults() {
        return new NystromSgd(DEFAULT_LEARNING_RATE, DEFAULT_RANK, DEFAULT_REFRESH_INTERVAL, DEFAULT_RHO);
    }

    @Override
    public NystromSgd withLearningRate(double v) {
        return new NystromSgd(v, rank, refreshInterval, rho);
    }

    public NystromSgd withRank(int v) {
        return new NystromSgd(learningRate, v, refreshInterval, rho);
    }

    public NystromSgd withRefreshInterval(int v) {
        return new NystromSgd(learningRate, rank, v, rho);
    }

    public NystromSgd withRho(double v) {
        return new NystromSgd(learningRate, rank, refreshInterval, v);
    }

    /** 1 + 2k/T: the gradient, and k central-difference Hessian–vector products every T steps. */
    @Override
    public double evaluationsPerStep() {
        return 1 + 2.0 * rank / refreshInterval;
    }

    @Override
    public double statePerParameter() {
        return rank;
    }

    /** State: [r, U (n×k, column j at 1 + j·n), s (k)]. */
    @Override
    public int stateLength(int n) {
        return 1 + rank * n + rank;
    }

    @Override
    public void step(double[] theta, double[] grad, double loss, CountingOracle oracle, double[] state, long t,
                     ParameterLayout layout, SplittableRandom random) {
        int n = theta.length;
        if (rank > n) {
            throw new IllegalArgumentException("NystromSgd: rank " + rank + " exceeds the " + n + " parameters");
        }
        if ((t - 1) % refreshInterval == 0) {
            double[] sketch = sketch(theta, oracle, n, random);
            System.arraycopy(sketch, 0, state, 0, sketch.length);
        }
        int r = (int) state[0];
        int eig = 1 + rank * n;
        double[] w = new double[r]; // (1/ρ − 1/(s + ρ)) · uᵀg
        for (int j = 0; j < r; j++) {
            int u = 1 + j * n;
            double dot = 0;
            for (int i = 0; i < n; i++) {
                dot += state[u + i] * grad[i];
            }
            w[j] = (1 / rho - 1 / (state[eig + j] + rho)) * dot;
        }
        for (int i = 0; i < n; i++) {
            double correction = 0;
            for (int j = 0; j < r; j++) {
                correction += state[1 + j * n + i] * w[j];
            }
            theta[i] -= learningRate * (grad[i] / rho - correction);
        }
    }

    /** A new sketch [r, U, s] at θ (nothing is written until every product is known to be finite). */
    private double[] sketch(double[] theta, CountingOracle oracle, int n, SplittableRandom random) {
        int[] omega = random.ints(0, n).distinct().limit(rank).toArray();
        double[][] c = new double[rank][n];
        double[] e = new double[n];
        for (int j = 0; j < rank; j++) {
            e[omega[j]] = 1;
            oracle.hessianVectorProduct(theta, e, c[j]);
            e[omega[j]] = 0;
        }
        double[] wm = new double[rank * rank];
        for (int a = 0; a < rank; a++) {
            for (int b = 0; b < rank; b++) {
                wm[a * rank + b] = (c[b][omega[a]] + c[a][omega[b]]) / 2;
            }
        }
        double[] lambda = new double[rank];
        double[] v = Dense.symmetricEigen(wm, rank, lambda);
        double max = 0;
        for (double x : lambda) {
            max = Math.max(max, Math.abs(x));
        }
        // Y = C V |Λ|^{-1/2} over the kept eigenvalues, as columns.
        double[][] y = new double[rank][];
        int kept = 0;
        for (int q = 0; q < rank; q++) {
            if (!(Math.abs(lambda[q]) > EIGEN_TOLERANCE * max)) {
                continue;
            }
            double[] col = new double[n];
            double scale = 1 / Math.sqrt(Math.abs(lambda[q]));
            for (int j = 0; j < rank; j++) {
                double f = v[j * rank + q] * scale;
                for (int i = 0; i < n; i++) {
                    col[i] += c[j][i] * f;
                }
            }
            y[kept++] = col;
        }
        // Y = Q R by Gram–Schmidt with one reorthogonalization; a dependent column gets q = 0 and a zero row of R.
        double[][] q = new double[kept][];
        double[] rr = new double[kept * kept];
        for (int j = 0; j < kept; j++) {
            double[] col = y[j].clone();
            double norm0 = Math.sqrt(Dense.dot(col, col));
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double d = Dense.dot(q[i], col);
                    rr[i * kept + j] += d;
                    for (int p = 0; p < n; p++) {
                        col[p] -= d * q[i][p];
                    }
                }
            }
            double norm = Math.sqrt(Dense.dot(col, col));
            if (norm > 1e-12 * norm0) {
                rr[j * kept + j] = norm;
                for (int p = 0; p < n; p++) {
                    col[p] /= norm;
                }
            } else {
                java.util.Arrays.fill(col, 0);
            }
            q[j] = col;
        }
        double[] rrt = new double[kept * kept];
        for (int a = 0; a < kept; a++) {
            for (int b = 0; b < kept; b++) {
                double sum = 0;
                for (int p = 0; p < kept; p++) {
                    sum += rr[a * kept + p] * rr[b * kept + p];
                }
                rrt[a * kept + b] = sum;
            }
        }
        double[] s = new double[kept];
        double[] pm = Dense.symmetricEigen(rrt, kept, s);
        double[] out = new double[stateLength(n)];
        out[0] = kept;
        for (int col = 0; col < kept; col++) {
            int u = 1 + col * n;
            for (int j = 0; j < kept; j++) {
                double f = pm[j * kept + col];
                for (int p = 0; p < n; p++) {
                    out[u + p] += q[j][p] * f;
                }
            }
            out[1 + rank * n + col] = Math.max(0, s[col]);
        }
        return out;
    }
}
