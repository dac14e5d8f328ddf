package dev.sofim.optim.dl4j;

import dev.sofim.optim.FloatStep;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.UpdateStep;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training step the toolkit runs itself on a SameDiff graph, instead of {@code sd.fit}: the loss and the gradients
 * of every trainable variable for the mini-batch ({@code calculateGradientsAndOutputs}), gathered into one flat FLOAT
 * vector in the graph's variable order, one step of the core rule on it ({@link FloatStep}: one Fisher matrix over all
 * parameters, the paper's global scope, which SameDiff's one-updater-per-variable cannot give), and the parameters
 * updated in place, θ ← θ − s. The rule's state is one flat FLOAT array too.
 *
 * <p>The graph takes its features in placeholder {@code in} and its one-hot labels in {@code label}; {@code loss} names
 * the scalar loss (the mean over the batch). FLOAT variables only.
 */
public final class SameDiffStep {
    private final SameDiff sd;
    private final UpdateRule rule;
    private final String loss;
    private final List<String> variables = new ArrayList<>();
    private final long[] offsets;
    private final int size;
    private final INDArray grad;
    private final INDArray state;
    private long steps;

    public SameDiffStep(SameDiff sd, String loss, UpdateRule rule) {
        this.sd = sd;
        this.rule = rule;
        this.loss = loss;
        long n = 0;
        List<Long> offs = new ArrayList<>();
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) {
                if (v.dataType() != DataType.FLOAT) {
                    throw new IllegalArgumentException("variable " + v.name() + " is " + v.dataType() + "; expected FLOAT");
                }
                variables.add(v.name());
                offs.add(n);
                n += v.getArr().length();
            }
        }
        if (variables.isEmpty()) {
            throw new IllegalArgumentException("the graph has no trainable variables");
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the graph has " + n + " parameters; at most " + Integer.MAX_VALUE);
        }
        this.size = (int) n;
        this.offsets = offs.stream().mapToLong(Long::longValue).toArray();
        this.grad = Nd4j.create(DataType.FLOAT, size);
        this.state = Nd4j.create(DataType.FLOAT, Math.max(1, (long) rule.stateNames().size() * size));
    }

    /** The number of parameters. */
    public int size() {
        return size;
    }

    /** The steps taken. */
    public long steps() {
        return steps;
    }

    /** One step on this mini-batch at epoch {@code epoch}; returns the mini-batch loss before the step. */
    public double step(INDArray features, INDArray labels, int epoch) {
        OutAndGrad og = sd.calculateGradientsAndOutputs(Map.of("in", features, "label", labels), List.of(loss), variables);
        Map<String, INDArray> grads = og.getGradients();
        for (int k = 0; k < variables.size(); k++) {
            INDArray g = grads.get(variables.get(k));
            grad.get(NDArrayIndex.interval(offsets[k], offsets[k] + g.length())).assign(g.reshape(g.length()));
        }
        steps++;
        if (rule.weightDecay() == 0) {
            FloatStep.compute(rule, grad.data().asNio(), 0, state.data().asNio(), 0, size, steps, epoch);
        } else {
            INDArray params = Nd4j.create(DataType.FLOAT, size);
            for (int k = 0; k < variables.size(); k++) {
                INDArray p = sd.getArrForVarName(variables.get(k));
                params.get(NDArrayIndex.interval(offsets[k], offsets[k] + p.length())).assign(p.reshape(p.length()));
            }
            UpdateStep.compute(rule, NdVec.of(grad, "gradient"), NdVec.of(state, "state"), NdVec.of(params, "parameters"),
                    steps, epoch, null);
        }
        for (int k = 0; k < variables.size(); k++) {
            INDArray p = sd.getArrForVarName(variables.get(k));
            p.subi(grad.get(NDArrayIndex.interval(offsets[k], offsets[k] + p.length())).reshape(p.shape()));
        }
        return og.getOutputs().get(loss).getDouble(0);
    }
}
