package dev.sofim.kernel;

import io.github.spencerpark.jupyter.kernel.util.StringStyler;
import jdk.jshell.EvalException;

import java.util.ArrayList;
import java.util.List;

/** A readable traceback of an exception thrown by cell code: class, message, frames (no JShell internals), causes. */
final class ErrorText {
    private ErrorText() {
    }

    /** False for JShell's and the JDK's reflection frames, which say nothing about the user's code. */
    static boolean shown(StackTraceElement f) {
        String c = f.getClassName();
        return !(c.startsWith("jdk.jshell.") || c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect."));
    }

    static List<String> of(Throwable e, StringStyler styler) {
        List<String> out = new ArrayList<>();
        Throwable t = e;
        boolean first = true;
        while (t != null) {
            String cls = t instanceof EvalException ee ? ee.getExceptionClassName() : t.getClass().getName();
            String head = (first ? "" : "Caused by: ") + cls + (t.getMessage() == null ? "" : ": " + t.getMessage());
            out.add(first ? styler.primary(head) : styler.secondary(head));
            for (StackTraceElement f : t.getStackTrace()) {
                String c = f.getClassName();
                if (!shown(f)) {
                    continue;
                }
                boolean cell = c.startsWith("REPL.") || c.isEmpty() || (f.getFileName() != null && f.getFileName().startsWith("#"));
                String where = cell ? "cell code (snippet " + f.getFileName() + ", line " + f.getLineNumber() + ")" : f.toString();
                out.add(styler.secondary("    at " + where));
            }
            first = false;
            t = t.getCause();
        }
        return out;
    }
}
