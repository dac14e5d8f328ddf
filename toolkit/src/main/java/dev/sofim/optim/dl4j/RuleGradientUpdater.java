package dev.sofim.optim.dl4j;

import dev.sofim.optim.FloatStep;
import dev.sofim.optim.UpdateRule;
import dev.sofim.optim.UpdateStep;
import dev.sofim.optim.Vec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.GradientUpdater;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a core {@link UpdateRule} on the block of parameters DL4J (or SameDiff) hands it. The
 * rule's state lives in DL4J's flat updater-state view (slot k of element i at k·n + i), so
 * {@code ModelSerializer} saves and restores it. DL4J's 0-based iteration i is the core's step i + 1.
 */
public final class RuleGradientUpdater implements GradientUpdater<RuleUpdaterConfig> {
    private final RuleUpdaterConfig config;
    private final UpdateRule rule;
    private INDArray stateView;

    RuleGradientUpdater(RuleUpdaterConfig config) {
        this.config = config;
        this.rule = config.rule();
    }

    @Override
    public RuleUpdaterConfig getConfig() {
        return config;
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (rule.stateNames().isEmpty()) {
            return;
        }
        if (viewArray == null) {
            throw new IllegalArgumentException(rule.getClass().getSimpleName() + " keeps state "
                    + rule.stateNames() + " but DL4J gave no state view");
        }
        if (initialize) {
            viewArray.assign(0);
        }
        this.stateView = viewArray.reshape(viewArray.length());
    }

    @Override
    public Map<String, INDArray> getState() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        if (stateView == null) {
            return state;
        }
        long n = stateView.length() / rule.stateNames().size();
        for (int k = 0; k < rule.stateNames().size(); k++) {
            state.put(rule.stateNames().get(k), stateView.get(NDArrayIndex.interval(k * n, (k + 1) * n)));
        }
        return state;
    }

    @Override
    public void setState(Map<String, INDArray> stateMap, boolean initialize) {
        if (!stateMap.keySet().containsAll(rule.stateNames())) {
            throw new IllegalArgumentException("updater state " + stateMap.keySet() + " lacks some of "
                    + rule.stateNames() + " for " + config);
        }
        Map<String, INDArray> slots = getState();
        for (var e : slots.entrySet()) {
            INDArray given = stateMap.get(e.getKey());
            if (given.length() != e.getValue().length()) {
                throw new IllegalArgumentException("state " + e.getKey() + " has " + given.length()
                        + " entries, expected " + e.getValue().length());
            }
            if (initialize) {
                e.getValue().assign(0);
            } else {
                e.getValue().assign(given.reshape(given.length()));
            }
        }
    }

    /**
     * FLOAT gradients and state (DL4J's default) go to the fast engine, {@link FloatStep}, straight on their native
     * buffers; DOUBLE arrays, and rules with weight decay, through {@link UpdateStep} on {@link NdVec} views.
     */
    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        if (rule.weightDecay() == 0 && NdVec.isFloat(gradient, "gradient")
                && (stateView == null || NdVec.isFloat(stateView, "updater state"))) {
            FloatStep.compute(rule, NdVec.bytes(gradient), Math.toIntExact(gradient.offset()),
                    stateView == null ? null : NdVec.bytes(stateView),
                    stateView == null ? 0 : Math.toIntExact(stateView.offset()), (int) gradient.length(), iteration + 1L, epoch);
            return;
        }
        Vec g = NdVec.of(gradient, "gradient");
        Vec s = stateView == null ? Vec.empty() : NdVec.of(stateView, "updater state");
        UpdateStep.compute(rule, g, s, null, iteration + 1L, epoch, null);
    }

    @Override
    public String toString() {
        return "RuleGradientUpdater[" + config + "]";
    }
}
