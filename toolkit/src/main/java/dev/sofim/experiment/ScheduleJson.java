package dev.sofim.experiment;

import dev.sofim.optim.LearningRateSchedule;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The config form of the built-in learning-rate schedules, an optimizer's {@code schedule} object:
 * <pre>{@code
 * {"type": "constant"}
 * {"type": "warmup-cosine", "warmupSteps": 94, "totalSteps": 4690, "minFactor": 0}
 * {"type": "cosine", "totalSteps": 4690, "minFactor": 0}
 * {"type": "step-decay", "factor": 0.1, "everyEpochs": 30}
 * }</pre>
 * Strict like the rest of a config: an unknown type or key, or a missing one, is an error naming it. A custom
 * {@link LearningRateSchedule} has no config form and is refused when written.
 */
final class ScheduleJson {
    private ScheduleJson() {
    }

    /** The schedule of a {@code schedule} object (numbers as {@link Number}, the type as a string). */
    static LearningRateSchedule parse(Map<String, Object> o) {
        Object type = o.get("type");
        if (!(type instanceof String t)) {
            throw new IllegalArgumentException("schedule needs a \"type\": one of constant, warmup-cosine, cosine, "
                    + "step-decay; got " + o);
        }
        return switch (t) {
            case "constant" -> {
                keys(o, Set.of("type"));
                yield LearningRateSchedule.constant();
            }
            case "warmup-cosine" -> {
                keys(o, Set.of("type", "warmupSteps", "totalSteps", "minFactor"));
                yield LearningRateSchedule.warmupCosine(whole(o, "warmupSteps"), whole(o, "totalSteps"), number(o, "minFactor"));
            }
            case "cosine" -> {
                keys(o, Set.of("type", "totalSteps", "minFactor"));
                yield LearningRateSchedule.cosine(whole(o, "totalSteps"), number(o, "minFactor"));
            }
            case "step-decay" -> {
                keys(o, Set.of("type", "factor", "everyEpochs"));
                yield LearningRateSchedule.stepDecay(number(o, "factor"), (int) whole(o, "everyEpochs"));
            }
            default -> throw new IllegalArgumentException("schedule type '" + t + "' is unknown; expected one of "
                    + "constant, warmup-cosine, cosine, step-decay");
        };
    }

    /** The config form of a built-in schedule. */
    static Map<String, Object> toMap(LearningRateSchedule s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s instanceof LearningRateSchedule.Constant) {
            m.put("type", "constant");
        } else if (s instanceof LearningRateSchedule.WarmupCosine w) {
            m.put("type", "warmup-cosine");
            m.put("warmupSteps", w.warmupSteps());
            m.put("totalSteps", w.totalSteps());
            m.put("minFactor", w.minFactor());
        } else if (s instanceof LearningRateSchedule.Cosine c) {
            m.put("type", "cosine");
            m.put("totalSteps", c.totalSteps());
            m.put("minFactor", c.minFactor());
        } else if (s instanceof LearningRateSchedule.StepDecay d) {
            m.put("type", "step-decay");
            m.put("factor", d.factor());
            m.put("everyEpochs", d.everyEpochs());
        } else {
            throw new IllegalArgumentException("schedule " + s + " (" + s.getClass().getName()
                    + ") has no config form; configs hold constant, warmup-cosine, cosine and step-decay");
        }
        return m;
    }

    private static void keys(Map<String, Object> o, Set<String> allowed) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("schedule " + o.get("type") + ": unknown key '" + k + "'; expected "
                        + allowed.stream().sorted().toList());
            }
        }
        for (String k : allowed) {
            if (!o.containsKey(k)) {
                throw new IllegalArgumentException("schedule " + o.get("type") + ": missing key '" + k + "'");
            }
        }
    }

    private static double number(Map<String, Object> o, String k) {
        if (o.get(k) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("schedule " + o.get("type") + ": " + k + " must be a number, got '" + o.get(k) + "'");
    }

    private static long whole(Map<String, Object> o, String k) {
        double v = number(o, k);
        if (v != Math.rint(v) || Math.abs(v) > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("schedule " + o.get("type") + ": " + k + " must be a whole number, got " + v);
        }
        return (long) v;
    }
}
