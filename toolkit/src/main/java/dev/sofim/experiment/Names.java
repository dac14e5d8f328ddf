package dev.sofim.experiment;

import java.util.regex.Pattern;

/**
 * The one rule for every name that becomes a file or folder (experiments, optimizers, sweeps, studies, workloads,
 * methods): 1 to {@value #MAX_LENGTH} letters, digits, '.', '_' or '-', starting with a letter or digit. So "." and
 * ".." (which would write into the results folder itself or its parent), hidden names and names too long for a file
 * system are refused before anything is written.
 */
public final class Names {
    /** The longest name: a file name may have 255 bytes, and a name gains suffixes such as "-seed12345.csv". */
    public static final int MAX_LENGTH = 64;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private Names() {
    }

    /**
     * The name if it is safe, else an error naming what it names, the value and the rule.
     *
     * @param what what the name names, for the message ("optimizer name", "study name", ...)
     */
    public static String check(String what, String name) {
        if (name == null || name.length() > MAX_LENGTH || !SAFE.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() > 80 ? "'" + name.substring(0, 80) + "…' ("
                    + name.length() + " characters)" : "'" + name + "'";
            throw new IllegalArgumentException(what + " must be 1 to " + MAX_LENGTH + " letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit, got " + shown);
        }
        return name;
    }
}
