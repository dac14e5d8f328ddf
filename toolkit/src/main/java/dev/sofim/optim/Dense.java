package dev.sofim.optim;

/** Small dense linear algebra for the Newton-type rules: dot products, and the k×k eigenproblems of {@link NystromSgd}. */
final class Dense {
    private Dense() {
    }

    /**
     * Eigen-decomposition of the symmetric k×k row-major matrix {@code a} by cyclic Jacobi rotations:
     * writes the eigenvalues into {@code lambda} and returns U (row-major, eigenvector q in column q),
     * with A = U diag(λ) Uᵀ. {@code a} is not modified.
     */
    static double[] symmetricEigen(double[] a, int k, double[] lambda) {
        double[] m = a.clone();
        double[] u = new double[k * k];
        for (int i = 0; i < k; i++) {
            u[i * k + i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, total = 0;
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    double x = m[p * k + q] * m[p * k + q];
                    total += x;
                    if (p != q) {
                        off += x;
                    }
                }
            }
            if (off <= 1e-30 * total || off == 0) {
                break;
            }
            for (int p = 0; p < k - 1; p++) {
                for (int q = p + 1; q < k; q++) {
                    double apq = m[p * k + q];
                    if (apq == 0) {
                        continue;
                    }
                    double theta = (m[q * k + q] - m[p * k + p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < k; r++) { // columns p, q
                        double mrp = m[r * k + p], mrq = m[r * k + q];
                        m[r * k + p] = c * mrp - s * mrq;
                        m[r * k + q] = s * mrp + c * mrq;
                    }
                    for (int r = 0; r < k; r++) { // rows p, q
                        double mpr = m[p * k + r], mqr = m[q * k + r];
                        m[p * k + r] = c * mpr - s * mqr;
                        m[q * k + r] = s * mpr + c * mqr;
                    }
                    for (int r = 0; r < k; r++) {
                        double urp = u[r * k + p], urq = u[r * k + q];
                        u[r * k + p] = c * urp - s * urq;
                        u[r * k + q] = s * urp + c * urq;
                    }
                }
            }
        }
        for (int i = 0; i < k; i++) {
            lambda[i] = m[i * k + i];
        }
        return u;
    }

    static double dot(double[] a, double[] b) {
        return dot(a, 0, b, 0, a.length);
    }

    /** Σ a[ao + i]·b[bo + i] over i < n. */
    static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }
}
