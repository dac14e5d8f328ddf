package dev.sofim.analysis;

import dev.sofim.data.ImageSet;
import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.optim.CoreOptimizer;
import dev.sofim.optim.GradientOracle;
import dev.sofim.optim.OracleOptimizer;
import dev.sofim.optim.OracleRule;
import dev.sofim.optim.ParameterLayout;
import dev.sofim.optim.SoftmaxRegression;
import dev.sofim.optim.UpdateRule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every optimizer of a list, first-order and Newton-type alike, on softmax regression over downsampled
 * images in plain Java and double precision: the same starting point (zero), the same minibatches, and the
 * closed-form Hessian–vector product of {@link SoftmaxRegression} (or finite differences, to see what they
 * cost). A small laboratory for the curvature models: convex, exact, fast, and free of DL4J.
 */
public final class SoftmaxRace {
    /** One optimizer's run: training loss on the whole set after each step, and gradient evaluations so far. */
    public record Run(String optimizer, double[] trainLoss, long[] evaluations) {
        public double finalLoss() {
            return trainLoss[trainLoss.length - 1];
        }

        public long totalEvaluations() {
            return evaluations[evaluations.length - 1];
        }
    }

    private SoftmaxRace() {
    }

    /**
     * @param images   training images (the first {@code size} are used)
     * @param pool     downsampling factor: the mean of pool×pool pixel blocks (28×28 with 4 gives 7×7 = 49 features)
     * @param batch    minibatch size (consecutive images, cycling)
     * @param steps    optimizer steps per optimizer
     * @param exactHvp closed-form Hessian–vector products (else central differences)
     */
    public static Map<String, Run> run(ImageSet images, int size, int pool, int batch, int steps, boolean exactHvp,
                                       List<OptimizerSpec> optimizers) {
        if (size < batch || pool < 1 || images.height() % pool != 0 || images.width() % pool != 0 || steps < 1) {
            throw new IllegalArgumentException("need size >= batch, a pool dividing " + images.height() + "×"
                    + images.width() + " and steps >= 1; got size " + size + ", batch " + batch + ", pool " + pool
                    + ", steps " + steps);
        }
        double[][] x = features(images, size, pool);
        int[] y = java.util.Arrays.copyOf(images.labels(), size);
        SoftmaxRegression all = new SoftmaxRegression(x, y, images.classes());
        int n = all.dimension();
        Map<String, Run> out = new LinkedHashMap<>();
        for (OptimizerSpec spec : optimizers) {
            double[] theta = new double[n];
            double[] grad = new double[n];
            double[] losses = new double[steps];
            long[] evals = new long[steps];
            CoreOptimizer first = spec.rule() instanceof UpdateRule u ? CoreOptimizer.of(u, n) : null;
            OracleOptimizer newton = spec.rule() instanceof OracleRule r ? new OracleOptimizer(r, ParameterLayout.flat(n), 1) : null;
            for (int t = 0; t < steps; t++) {
                int from = (t * batch) % (size - batch + 1);
                SoftmaxRegression mb = new SoftmaxRegression(java.util.Arrays.copyOfRange(x, from, from + batch),
                        java.util.Arrays.copyOfRange(y, from, from + batch), images.classes());
                GradientOracle oracle = exactHvp ? mb : GradientOracle.withoutExactProduct(mb);
                double loss = mb.gradient(theta, grad);
                if (first != null) {
                    first.step(theta, grad);
                    evals[t] = t + 1;
                } else {
                    newton.step(theta, grad, loss, oracle);
                    evals[t] = newton.gradientEvaluations();
                }
                losses[t] = all.gradient(theta, new double[n]);
            }
            out.put(spec.name(), new Run(spec.name(), losses, evals));
        }
        return out;
    }

    /** Mean-pooled features in [0, 1]: pool×pool blocks of every channel. */
    static double[][] features(ImageSet images, int size, int pool) {
        int h = images.height() / pool, w = images.width() / pool, c = images.channels();
        double[][] x = new double[size][c * h * w];
        int per = images.features();
        for (int i = 0; i < size; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < images.height(); r++) {
                    for (int col = 0; col < images.width(); col++) {
                        x[i][(ch * h + r / pool) * w + col / pool] += images.pixels()[i * per
                                + (ch * images.height() + r) * images.width() + col] / (double) (pool * pool);
                    }
                }
            }
        }
        return x;
    }

    /**
     * Per optimizer family ({@link OptimizerSpec#family()}), the run with the lowest final training loss: a grid
     * of the same size per family is the same tuning budget.
     */
    public static Map<String, Run> bestPerFamily(Map<String, Run> runs, List<OptimizerSpec> optimizers) {
        Map<String, Run> best = new LinkedHashMap<>();
        for (OptimizerSpec o : optimizers) {
            Run r = runs.get(o.name());
            if (r != null && Double.isFinite(r.finalLoss())) {
                best.merge(o.family(), r, (a, b) -> b.finalLoss() < a.finalLoss() ? b : a);
            }
        }
        return best;
    }

    /** The runs as a table: final training loss, gradient evaluations, and evaluations to reach {@code target}. */
    public static String table(Map<String, Run> runs, double target) {
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "%-16s %12s %12s %22s%n",
                "optimizer", "final loss", "evaluations", "evaluations to " + target));
        List<String> rows = new ArrayList<>();
        for (Run r : runs.values()) {
            long to = -1;
            for (int t = 0; t < r.trainLoss().length; t++) {
                if (r.trainLoss()[t] <= target) {
                    to = r.evaluations()[t];
                    break;
                }
            }
            rows.add(String.format(java.util.Locale.ROOT, "%-16s %12.4f %12d %22s%n", r.optimizer(), r.finalLoss(),
                    r.totalEvaluations(), to < 0 ? "not reached" : String.valueOf(to)));
        }
        rows.forEach(sb::append);
        return sb.toString();
    }
}
