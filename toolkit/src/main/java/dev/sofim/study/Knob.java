package dev.sofim.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One knob of a method's search space: a log or linear range (optionally of whole numbers), or a choice among values.
 * A quasi-random coordinate u ∈ [0, 1) maps to lo·(hi/lo)^u (log), lo + u·(hi − lo) (linear; whole numbers rounded), or
 * the ⌊u·k⌋-th of k choices.
 *
 * @param scale   how u maps to a value
 * @param lo      the range's lower end (ranges)
 * @param hi      the range's upper end (ranges)
 * @param integer whether the value is a whole number (ranges)
 * @param choices the values (choices)
 */
public record Knob(Scale scale, double lo, double hi, boolean integer, List<Object> choices) {
    /** The knob's kind. */
    public enum Scale { LOG, LINEAR, CHOICE }

    /** The outer share of a log range that triggers the edge rule at either end. */
    public static final double EDGE = 0.1;

    public Knob {
        choices = choices == null ? List.of() : List.copyOf(choices);
        switch (scale) {
            case LOG -> {
                if (!(lo > 0 && hi > lo && Double.isFinite(hi))) {
                    throw new IllegalArgumentException("a log range needs 0 < lo < hi, got [" + lo + ", " + hi + "]");
                }
                if (integer && lo < 1) {
                    throw new IllegalArgumentException("a whole-number log range needs lo >= 1, got [" + lo + ", " + hi + "]");
                }
            }
            case LINEAR -> {
                if (!(hi > lo && Double.isFinite(lo) && Double.isFinite(hi))) {
                    throw new IllegalArgumentException("a linear range needs lo < hi, got [" + lo + ", " + hi + "]");
                }
            }
            case CHOICE -> {
                if (choices.size() < 2) {
                    throw new IllegalArgumentException("a choice needs at least two values, got " + choices);
                }
            }
        }
    }

    public static Knob log(double lo, double hi) {
        return new Knob(Scale.LOG, lo, hi, false, null);
    }

    public static Knob choice(Object... values) {
        return new Knob(Scale.CHOICE, 0, 0, false, List.of(values));
    }

    /** The value at quasi-random coordinate u. */
    public Object value(double u) {
        return switch (scale) {
            case LOG -> whole(lo * Math.pow(hi / lo, u));
            case LINEAR -> whole(lo + u * (hi - lo));
            case CHOICE -> choices.get(Math.min(choices.size() - 1, (int) Math.floor(u * choices.size())));
        };
    }

    private Object whole(double v) {
        return integer ? (Object) (double) Math.round(v) : (Object) v;
    }

    /** Where a value sits in a log range, in [0, 1] (NaN for other knobs). */
    public double position(double value) {
        return scale == Scale.LOG ? Math.log(value / lo) / Math.log(hi / lo) : Double.NaN;
    }

    /**
     * The edge rule: a value in the outer {@value #EDGE} of a log range gives the range shifted by half its width (in
     * log) towards it; otherwise this knob. Linear ranges and choices are not shifted.
     */
    public Knob shiftedToward(double value) {
        double p = position(value);
        if (scale != Scale.LOG || (p >= EDGE && p <= 1 - EDGE)) {
            return this;
        }
        double f = Math.sqrt(hi / lo);
        if (p < EDGE && integer) {
            // A whole-number log range ends at 1: at 1 it cannot move down, above 1 it moves down to 1 at most.
            return lo <= 1 ? this : new Knob(Scale.LOG, Math.max(1, lo / f), hi / f, true, null);
        }
        return p < EDGE ? new Knob(Scale.LOG, lo / f, hi / f, integer, null) : new Knob(Scale.LOG, lo * f, hi * f, integer, null);
    }

    /** The JSON form: {@code {"log": [lo, hi]}}, {@code {"linear": [lo, hi], "integer": true}}, {@code {"choice": [...]}}. */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        switch (scale) {
            case LOG, LINEAR -> {
                m.put(scale.name().toLowerCase(Locale.ROOT), List.of(lo, hi));
                if (integer) {
                    m.put("integer", true);
                }
            }
            case CHOICE -> m.put("choice", new ArrayList<>(choices));
        }
        return m;
    }

    @Override
    public String toString() {
        return switch (scale) {
            case LOG, LINEAR -> String.format(Locale.ROOT, "%s[%s, %s]%s", scale.name().toLowerCase(Locale.ROOT),
                    fmt(lo), fmt(hi), integer ? " whole" : "");
            case CHOICE -> "choice" + choices;
        };
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
