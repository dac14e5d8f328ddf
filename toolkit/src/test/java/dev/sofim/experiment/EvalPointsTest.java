package dev.sofim.experiment;

import dev.sofim.data.DataOptions;
import dev.sofim.data.Dataset;
import dev.sofim.models.ModelKind;
import dev.sofim.optim.AdaHessian;
import dev.sofim.optim.Sgd;
import dev.sofim.optim.Sofim;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Evaluation points, the fixed training subset, the gradient-evaluation budget and the warm-up, on real MNIST digits. */
class EvalPointsTest {

    private static ExperimentConfig.Builder base(String name) {
        return ExperimentConfig.builder(name).dataset(Dataset.MNIST).model(ModelKind.MLP).trainSize(600).testSize(300)
                .batchSize(50).epochs(2).seeds(1, 2).trainEvalSize(200)
                .optimizer("sofim", Sofim.defaults())
                .optimizer("sgd-momentum", Sgd.momentum(0.05, 0.9));
    }

    @Test
    void fortyPointsOverTheBudgetPlusTheStartWithSofimsDiagnostics(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = base("points").build();
        Results r = ExperimentTest.experiment(c).run(tmp);
        // 2 epochs × 12 steps = 24 evaluations: fewer than 40 marks, so a point after every step, and one before.
        List<EvalPoint> sofim = r.points("sofim", 1);
        assertEquals(25, sofim.size());
        assertEquals(0, sofim.get(0).step());
        assertEquals(24, sofim.get(24).step());
        assertTrue(Double.isNaN(sofim.get(0).diagnostics().fisherRatio()), "no step at point 0");
        for (EvalPoint p : sofim.subList(1, 25)) {
            Sofim.Diagnostics d = p.diagnostics();
            assertTrue(d.fisherRatio() > 0 && d.gradientNorm() > 0, p.toString());
            // the paper reading: d ∥ m̂ and the rate on m̂ is η/(ρ + ‖m̂‖²) = η/(ρ(1 + ratio))
            assertEquals(Sofim.DEFAULT_LEARNING_RATE / (Sofim.DEFAULT_RHO * (1 + d.fisherRatio())), d.effectiveStep(), 1e-12);
            assertTrue(d.stepCosine() > -1 && d.stepCosine() <= 1 + 1e-12, p.toString());
        }
        // at step 1 m̂ = g, so the step is parallel to the gradient
        assertEquals(1.0, sofim.get(1).diagnostics().stepCosine(), 1e-9);
        assertTrue(Double.isNaN(r.points("sgd-momentum", 1).get(5).diagnostics().fisherRatio()), "SOFIM only");
        // the last point's held-out numbers are the epoch record's
        EpochRecord last = r.last("sofim", 1).orElseThrow();
        assertEquals(last.testAccuracy(), sofim.get(24).testAccuracy());
        assertEquals(last.testLoss(), sofim.get(24).testLoss());
        // every 5 steps when set
        Results every5 = ExperimentTest.experiment(base("every5").evalEvery(5).build()).run(tmp.resolve("every5"));
        assertEquals(List.of(0L, 5L, 10L, 15L, 20L, 24L), every5.points("sofim", 2).stream().map(EvalPoint::step).toList());
        // 40 marks when the budget has more steps than that: 3 epochs × 24 steps of 25 = 72 evaluations
        Results many = ExperimentTest.experiment(base("many").batchSize(25).epochs(3).build()).run(tmp.resolve("many"));
        assertEquals(1 + 40, many.points("sgd-momentum", 1).size());
    }

    @Test
    void theTrainingLossOfAPointIsTheSavedModelRescoredOnTheFixedSubset(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = base("rescore").build();
        Experiment e = ExperimentTest.experiment(c);
        Results r = e.run(tmp);
        assertEquals(200, e.trainEvalSubset().size());
        for (String opt : List.of("sofim", "sgd-momentum")) {
            Learner saved = Learner.restore(c, e.data().train(), c.optimizer(opt), 1,
                    tmp.resolve("checkpoints/" + opt + "-seed1-epoch2.bin"));
            Scores rescored = Scores.of(saved::output, Batches.all(e.trainEvalSubset()), e.config().model().evaluationChunk());
            List<EvalPoint> points = r.points(opt, 1);
            assertEquals(rescored.loss(), points.get(points.size() - 1).trainLoss(), 0.0, opt);
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ExperimentTest.experiment(base("big").trainEvalSize(601).build())).getMessage()
                .contains("trainEvalSize 601 exceeds the 600 training images"));
    }

    @Test
    void theWarmUpChangesNoNumberAndAResumedRunTakesTheSamePoints(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = base("warmup").build();
        ExperimentTest.experiment(c).withWarmUp(0).run(tmp.resolve("cold"));
        ExperimentTest.experiment(c).run(tmp.resolve("warm"));
        assertEquals(ExperimentTest.deterministicFiles(tmp.resolve("cold")),
                ExperimentTest.deterministicFiles(tmp.resolve("warm")));
        ExperimentTest.experiment(c).run(tmp.resolve("resumed"), 1);
        assertTrue(Files.readString(tmp.resolve("resumed/evals.csv")).lines().noneMatch(l -> l.contains(",24,2,")));
        ExperimentTest.experiment(c).run(tmp.resolve("resumed"));
        assertEquals(ExperimentTest.deterministicFiles(tmp.resolve("warm")),
                ExperimentTest.deterministicFiles(tmp.resolve("resumed")));
        // a folder written before evaluation points loads with none
        Files.delete(tmp.resolve("warm/evals.csv"));
        Files.delete(tmp.resolve("warm/eval-timing.csv"));
        assertTrue(Results.load(tmp.resolve("warm")).points().isEmpty());
    }

    @Test
    void aGradientEvaluationBudgetGivesANewtonTypeMethodAThirdOfTheSteps(@TempDir Path tmp) throws IOException {
        ExperimentConfig c = base("budget").epochs(3).maxGradientEvaluations(30)
                .optimizer("adahessian", AdaHessian.defaults()).build();
        Results r = ExperimentTest.experiment(c).run(tmp);
        EpochRecord sgd = r.last("sgd-momentum", 1).orElseThrow();
        assertEquals(30, sgd.steps());
        assertEquals(30, sgd.gradientEvaluations());
        assertEquals(3, sgd.epoch(), "12 + 12 + 6 steps");
        EpochRecord ada = r.last("adahessian", 1).orElseThrow();
        assertEquals(10, ada.steps(), "a gradient and a Hessian–vector product (2) per step");
        assertEquals(30, ada.gradientEvaluations());
        assertEquals(1, ada.epoch());
        assertEquals(30, r.points("adahessian", 1).get(r.points("adahessian", 1).size() - 1).gradientEvaluations());
        // finished: running again does nothing
        String before = Files.readString(tmp.resolve("metrics.csv"));
        ExperimentTest.experiment(c).run(tmp);
        assertEquals(before, Files.readString(tmp.resolve("metrics.csv")));
        assertFalse(Files.exists(tmp.resolve("checkpoints/adahessian-seed1-epoch2.bin")));
    }
}
