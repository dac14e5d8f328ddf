package dev.sofim.experiment;

/**
 * The size switch at the top of every notebook. {@code QUICK} (the default) is a first run that finishes in a couple
 * of minutes on 2 cores; {@code FULL} is the study the notebook's conclusion is about. Both go through the same code
 * path, and the {@code SOFIM_*} environment knobs (tests, Binder) shrink either further.
 */
public enum Size {
    QUICK,
    FULL;

    /** The quick or the full value of a knob. */
    public int pick(int quick, int full) {
        return this == QUICK ? quick : full;
    }

    /** The quick or the full value of a knob. */
    public double pick(double quick, double full) {
        return this == QUICK ? quick : full;
    }

    /** The quick or the full value of a knob. */
    public <T> T pick(T quick, T full) {
        return this == QUICK ? quick : full;
    }
}
