package dev.sofim.optim;

/**
 * Multinomial logistic regression on a fixed batch, in double precision, as a {@link GradientOracle}
 * with an exact Hessian–vector product: the pure-Java reference problem for the oracle optimizers.
 *
 * <p>Parameters θ = (W, b): W is K×d row-major at [0, Kd), b at [Kd, Kd + K). With p_i = softmax(W x_i + b)
 * and x̃_i = (x_i, 1), the mean cross-entropy f, its gradient and Hessian are
 * <pre>
 *   f = −(1/N) Σ_i log p_i[y_i],     ∇f = (1/N) Σ_i (p_i − e_{y_i}) ⊗ x̃_i,
 *   H = (1/N) Σ_i (diag p_i − p_i p_iᵀ) ⊗ x̃_i x̃_iᵀ,   so  H·V = (1/N) Σ_i (p_i ⊙ a_i − p_i (p_iᵀ a_i)) ⊗ x̃_i,  a_i = V x̃_i
 * </pre>
 */
public final class SoftmaxRegression implements GradientOracle {
    private final double[][] x;
    private final int[] y;
    private final int classes;
    private final int features;

    /**
     * @param x       N rows of d features
     * @param y       N labels in [0, classes)
     * @param classes K ≥ 2
     */
    public SoftmaxRegression(double[][] x, int[] y, int classes) {
        if (x.length == 0 || x.length != y.length || classes < 2) {
            throw new IllegalArgumentException("softmax regression needs N > 0 rows, N labels and >= 2 classes, got "
                    + x.length + " rows, " + y.length + " labels, " + classes + " classes");
        }
        this.features = x[0].length;
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != features || y[i] < 0 || y[i] >= classes) {
                throw new IllegalArgumentException("row " + i + ": expected " + features + " features and a label in [0, "
                        + classes + "), got " + x[i].length + " features and label " + y[i]);
            }
        }
        this.x = x;
        this.y = y;
        this.classes = classes;
    }

    @Override
    public int dimension() {
        return classes * (features + 1);
    }

    public int classes() {
        return classes;
    }

    public int features() {
        return features;
    }

    @Override
    public double unitRoundoff() {
        return DOUBLE_ROUNDOFF;
    }

    @Override
    public double gradient(double[] theta, double[] grad) {
        java.util.Arrays.fill(grad, 0);
        double loss = 0;
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double[] p = probabilities(theta, i);
            loss -= Math.log(p[y[i]]);
            p[y[i]] -= 1;
            outer(p, x[i], grad, 1.0 / n);
        }
        return loss / n;
    }

    @Override
    public boolean hasExactHessianVectorProduct() {
        return true;
    }

    @Override
    public void exactHessianVectorProduct(double[] theta, double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double[] p = probabilities(theta, i);
            double[] a = logits(v, i);
            double pa = 0;
            for (int c = 0; c < classes; c++) {
                pa += p[c] * a[c];
            }
            double[] r = new double[classes];
            for (int c = 0; c < classes; c++) {
                r[c] = p[c] * a[c] - p[c] * pa;
            }
            outer(r, x[i], out, 1.0 / n);
        }
    }

    /** softmax(W x_i + b). */
    private double[] probabilities(double[] theta, int i) {
        double[] z = logits(theta, i);
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < classes; c++) {
            z[c] /= sum;
        }
        return z;
    }

    /** W x_i + b for the (W, b) stored in {@code w}. */
    private double[] logits(double[] w, int i) {
        double[] z = new double[classes];
        int bias = classes * features;
        for (int c = 0; c < classes; c++) {
            double s = w[bias + c];
            for (int j = 0; j < features; j++) {
                s += w[c * features + j] * x[i][j];
            }
            z[c] = s;
        }
        return z;
    }

    /** out += scale · (r ⊗ (x, 1)). */
    private void outer(double[] r, double[] xi, double[] out, double scale) {
        int bias = classes * features;
        for (int c = 0; c < classes; c++) {
            double rc = r[c] * scale;
            for (int j = 0; j < features; j++) {
                out[c * features + j] += rc * xi[j];
            }
            out[bias + c] += rc;
        }
    }
}
