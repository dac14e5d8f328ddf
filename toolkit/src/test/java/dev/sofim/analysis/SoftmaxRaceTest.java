package dev.sofim.analysis;

import dev.sofim.experiment.OptimizerSpec;
import dev.sofim.plot.Plots;
import dev.sofim.testdata.MnistSubset;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The six optimizers on softmax regression over real 7×7 MNIST digits, in the pure core. */
class SoftmaxRaceTest {
    static final List<OptimizerSpec> SIX = List.of(
            OptimizerSpec.of("sofim", "sofim", Map.of("learningRate", 1.0, "rho", 1.0)),
            OptimizerSpec.of("sgd-momentum", "sgd", Map.of("learningRate", 0.5, "momentum", 0.9)),
            OptimizerSpec.of("adam", "adam", Map.of("learningRate", 0.05)),
            OptimizerSpec.of("adahessian", "adahessian", Map.of("learningRate", 0.15)),
            OptimizerSpec.of("lbfgs", "lbfgs", Map.of("learningRate", 1.0, "lineSearch", true)),
            OptimizerSpec.of("nystrom-sgd", "nystrom-sgd", Map.of("learningRate", 1.0, "rank", 5.0, "refreshInterval", 5.0)));

    @Test
    void everyOptimizerLearnsAndCountsItsEvaluations() {
        var runs = SoftmaxRace.run(MnistSubset.train(), 500, 4, 50, 40, true, SIX);
        for (SoftmaxRace.Run r : runs.values()) {
            assertTrue(r.finalLoss() < 0.8 * Math.log(10), r.optimizer() + " ends at " + r.finalLoss());
        }
        assertEquals(40, runs.get("sgd-momentum").totalEvaluations());
        assertEquals(40 + 40 * 2L, runs.get("adahessian").totalEvaluations(), "an exact product counts two");
        assertEquals(40 + 8 * 5 * 2L, runs.get("nystrom-sgd").totalEvaluations(), "5 columns every 5th step");
        assertTrue(runs.get("lbfgs").totalEvaluations() >= 80, "a gradient at each new point, plus backtracks");
        assertTrue(SoftmaxRace.table(runs, 1.0).contains("adahessian"));
        assertEquals(6, Plots.race(runs, true).getSeriesMap().size());
    }

    /** One run per family, the lowest final loss, keyed by family (what notebook 08 shows). */
    @Test
    void bestPerFamilyKeepsTheLowestFinalLoss() {
        List<OptimizerSpec> grid = List.of(
                OptimizerSpec.of("sgd-slow", "sgd", Map.of("learningRate", 0.01, "momentum", 0.9)),
                OptimizerSpec.of("sgd-fast", "sgd", Map.of("learningRate", 0.5, "momentum", 0.9)),
                OptimizerSpec.of("adam", "adam", Map.of("learningRate", 0.05)));
        var runs = SoftmaxRace.run(MnistSubset.train(), 300, 4, 50, 20, true, grid);
        var best = SoftmaxRace.bestPerFamily(runs, grid);
        assertEquals(List.of("sgd-momentum", "adam"), List.copyOf(best.keySet()));
        String winner = runs.get("sgd-fast").finalLoss() < runs.get("sgd-slow").finalLoss() ? "sgd-fast" : "sgd-slow";
        assertEquals(winner, best.get("sgd-momentum").optimizer());
    }

    @Test
    void finiteDifferencesFollowTheExactProductClosely() {
        List<OptimizerSpec> two = List.of(SIX.get(3), SIX.get(5));
        var exact = SoftmaxRace.run(MnistSubset.train(), 300, 4, 50, 20, true, two);
        var fd = SoftmaxRace.run(MnistSubset.train(), 300, 4, 50, 20, false, two);
        for (String o : exact.keySet()) {
            assertEquals(exact.get(o).finalLoss(), fd.get(o).finalLoss(), 1e-5, o);
        }
    }

    @Test
    void badSizesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> SoftmaxRace.run(MnistSubset.train(), 10, 3, 50, 5, true, SIX));
        assertTrue(e.getMessage().contains("pool 3"), e.getMessage());
    }
}
