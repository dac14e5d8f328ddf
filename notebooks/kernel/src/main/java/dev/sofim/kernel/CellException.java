package dev.sofim.kernel;

import jdk.jshell.EvalException;
import jdk.jshell.JShellException;

import java.util.Arrays;

/**
 * An exception thrown by cell code, as Jupyter shows it: the message starts with the original class
 * name, and the stack holds only the cell's and libraries' frames (no JShell internals).
 */
public final class CellException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient JShellException original;

    private CellException(String message, JShellException original) {
        super(message);
        this.original = original;
        setStackTrace(Arrays.stream(original.getStackTrace()).filter(ErrorText::shown).toArray(StackTraceElement[]::new));
    }

    static CellException of(JShellException e) {
        String cls = e instanceof EvalException ee ? ee.getExceptionClassName() : e.getClass().getName();
        return new CellException(cls + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    }

    /** The exception JShell reported (an {@link EvalException} for exceptions thrown by cell code). */
    public JShellException original() {
        return original;
    }
}
