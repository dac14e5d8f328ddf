package dev.sofim.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built-in schedules against values worked out by hand. */
class ScheduleTest {
    @Test
    void warmupCosineRisesLinearlyThenFollowsTheHalfCosine() {
        // w = 4, T = 12, f = 0.1, η = 2: t/w·η for t ≤ 4; then the progress (t − 4)/8 of a half cosine down to 0.2.
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(4, 12, 0.1);
        assertEquals(0.5, s.learningRate(2, 1, 0), 1e-15);
        assertEquals(1.5, s.learningRate(2, 3, 0), 1e-15);
        assertEquals(2.0, s.learningRate(2, 4, 0), 1e-15);
        // t = 8: progress 1/2, cos(π/2) = 0: η(f + (1 − f)/2) = 2·0.55
        assertEquals(1.1, s.learningRate(2, 8, 0), 1e-15);
        // t = 6: progress 1/4, ½(1 + cos(π/4)) = 0.853553...
        assertEquals(2 * (0.1 + 0.9 * 0.5 * (1 + Math.sqrt(0.5))), s.learningRate(2, 6, 0), 1e-15);
        assertEquals(0.2, s.learningRate(2, 12, 0), 1e-15);
        assertEquals(0.2, s.learningRate(2, 40, 3), 1e-15);
    }

    @Test
    void warmupAsAFractionOfTheBudget() {
        assertEquals(new LearningRateSchedule.WarmupCosine(94, 4690, 0), LearningRateSchedule.warmupCosine(4690, 0.02, 0));
        assertEquals(new LearningRateSchedule.WarmupCosine(1, 10, 0), LearningRateSchedule.warmupCosine(10, 0.01, 0));
        // no warm-up: the cosine from step 1 (progress counted from step 0)
        LearningRateSchedule s = LearningRateSchedule.warmupCosine(10, 0.0, 0);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 0.1)), s.learningRate(1, 1, 0), 1e-15);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(10, 1.0, 0))
                .getMessage().contains("warmupFraction"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(10, 10, 0))
                .getMessage().contains("warmupSteps"));
    }
}
