package dev.sofim.optim;

import java.util.Objects;

/** Validation of hyperparameters, with messages that name the bad value and what was expected. */
final class Hyper {
    private Hyper() {
    }

    static double positive(String owner, String name, double value) {
        if (!(Double.isFinite(value) && value > 0)) {
            throw bad(owner, name, value, "a finite number > 0");
        }
        return value;
    }

    static double nonNegative(String owner, String name, double value) {
        if (!(Double.isFinite(value) && value >= 0)) {
            throw bad(owner, name, value, "a finite number >= 0");
        }
        return value;
    }

    static double unitInterval(String owner, String name, double value) {
        if (!(Double.isFinite(value) && value >= 0 && value < 1)) {
            throw bad(owner, name, value, "a number in [0, 1)");
        }
        return value;
    }

    static int atLeastOne(String owner, String name, int value) {
        if (value < 1) {
            throw bad(owner, name, value, "an integer >= 1");
        }
        return value;
    }

    static <T> T present(String owner, String name, T value) {
        return Objects.requireNonNull(value, () -> owner + ": " + name + " must not be null");
    }

    static IllegalArgumentException bad(String owner, String name, Object value, String expected) {
        return new IllegalArgumentException(owner + ": " + name + " must be " + expected + ", got " + value);
    }
}
