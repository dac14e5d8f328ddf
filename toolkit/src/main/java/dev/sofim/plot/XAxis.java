package dev.sofim.plot;

/** What a curve's x axis counts: epochs, training seconds, or mini-batch gradient evaluations. */
public enum XAxis {
    EPOCH("epoch", "epoch", "0"),
    SECONDS("training time (s)", "time", "0.#"),
    /** The cost that is fair between first-order and Newton-type methods whatever the machine. */
    GRADIENT_EVALUATIONS("mini-batch gradient evaluations", "evaluations", "0");

    private final String title;
    private final String fileSuffix;
    private final String pattern;

    XAxis(String title, String fileSuffix, String pattern) {
        this.title = title;
        this.fileSuffix = fileSuffix;
        this.pattern = pattern;
    }

    public String title() {
        return title;
    }

    /** The plot file's suffix: {@code test-accuracy-vs-<suffix>}. */
    public String fileSuffix() {
        return fileSuffix;
    }

    String decimalPattern() {
        return pattern;
    }
}
