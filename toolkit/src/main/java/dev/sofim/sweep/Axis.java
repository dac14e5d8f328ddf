package dev.sofim.sweep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * One named axis of a sweep and its values. What the name means:
 * <ul>
 *   <li>{@code optimizer}: names of the base config's optimizers;</li>
 *   <li>{@code seed}, {@code epochs}, {@code batchSize}, {@code trainSize}: whole numbers;</li>
 *   <li>{@code dataset}: dataset ids ({@code mnist}, {@code fashion-mnist}, …); {@code model}: {@code logistic},
 *       {@code mlp}, {@code lenet}, {@code resnet};</li>
 *   <li>any other name: a setting of the cell's optimizer ({@code learningRate}, {@code rho}, …), or
 *       {@code <optimizer>.<setting>} for a setting of one optimizer only (other optimizers' cells ignore it);</li>
 *   <li>an optimizer's name with objects as values: points of several of its settings at once, for grids that are
 *       not a cross product ({@code "sofim": [{"learningRate": 0.1, "rho": 1}, {"learningRate": 1, "rho": 10}]}).</li>
 * </ul>
 */
public record Axis(String name, List<Object> values) {

    /** The largest whole number every JSON reader holds exactly (2^53): larger ones are refused, not rounded. */
    public static final double EXACT = 9007199254740992.0;

    /** What an axis changes in a cell. */
    public enum Kind { OPTIMIZER, SEED, EPOCHS, BATCH_SIZE, TRAIN_SIZE, DATASET, MODEL, SETTING, POINTS }

    public Axis {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a sweep axis needs a name");
        }
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException("sweep axis '" + name + "' is empty; give it at least one value");
        }
        // whole numbers as longs: a sweep reads back from its sweep.json exactly as it was given
        values = values.stream().map(Axis::normal).toList();
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (Object v : values) {
            if (!seen.add(v)) {
                throw new IllegalArgumentException("sweep axis '" + name + "' lists " + v + " twice; give each value once");
            }
        }
        long maps = values.stream().filter(v -> v instanceof Map<?, ?>).count();
        if (maps != 0 && maps != values.size()) {
            throw new IllegalArgumentException("sweep axis '" + name + "' mixes setting points (objects) with single values");
        }
    }

    private static Object normal(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normal(x)));
            return java.util.Collections.unmodifiableMap(out);
        }
        return v instanceof Number n && !(v instanceof Long) && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) <= EXACT ? (Object) n.longValue() : v;
    }

    /** An axis from its values: {@code Axis.of("sofim-paper.rho", 0.1, 1.0, 10.0)}. */
    public static Axis of(String name, Object... values) {
        return new Axis(name, List.of(values));
    }

    /** An axis from a list of values: {@code Axis.of("learningRate", LEARNING_RATES)}. */
    public static Axis of(String name, List<?> values) {
        return new Axis(name, List.copyOf(values));
    }

    public Kind kind() {
        if (values.get(0) instanceof Map<?, ?>) {
            return Kind.POINTS;
        }
        return switch (name) {
            case "optimizer" -> Kind.OPTIMIZER;
            case "seed" -> Kind.SEED;
            case "epochs" -> Kind.EPOCHS;
            case "batchSize" -> Kind.BATCH_SIZE;
            case "trainSize" -> Kind.TRAIN_SIZE;
            case "dataset" -> Kind.DATASET;
            case "model" -> Kind.MODEL;
            default -> Kind.SETTING;
        };
    }

    /** For a setting axis: the optimizer it is limited to ({@code sofim.rho} → sofim), or null for every optimizer. */
    String onlyOptimizer() {
        int dot = name.lastIndexOf('.');
        return kind() == Kind.SETTING && dot > 0 ? name.substring(0, dot) : null;
    }

    /** For a setting axis: the setting's name. */
    String setting() {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1) : name;
    }

    /** A value as a whole number, or an error naming the axis and the value. */
    static long whole(Axis a, Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) <= EXACT) {
            return n.longValue();
        }
        throw new IllegalArgumentException("sweep axis '" + a.name() + "': value " + v + " is not a whole number"
                + (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                ? " that JSON holds exactly (at most 2^53 = 9007199254740992 in size)" : ""));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s", name, values);
    }
}
