package dev.sofim.kernel;

import jdk.jshell.Diag;

import java.util.List;
import java.util.Locale;

/** A cell that does not compile; its lines name the cell line, the message, and point at the code. */
public final class CompilationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> lines;

    public CompilationException(List<String> lines, String cell) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    public List<String> lines() {
        return lines;
    }

    /** "line N: error: message", the offending source line and a caret under the position. */
    static String describe(Diag d, String snippet, String cell, int offset) {
        long pos = d.getStartPosition() >= 0 ? d.getStartPosition() : d.getPosition();
        String message = d.getMessage(Locale.ROOT);
        if (pos < 0 || pos > snippet.length()) {
            return (d.isError() ? "error: " : "warning: ") + message;
        }
        int inCell = Math.min(cell.length(), offset + (int) pos);
        int lineStart = cell.lastIndexOf('\n', Math.max(0, inCell - 1)) + 1;
        if (inCell > 0 && cell.charAt(inCell - 1) == '\n') {
            lineStart = inCell;
        }
        int lineEnd = cell.indexOf('\n', inCell);
        String line = cell.substring(lineStart, lineEnd < 0 ? cell.length() : lineEnd);
        long lineNo = cell.substring(0, lineStart).chars().filter(c -> c == '\n').count() + 1;
        return "line " + lineNo + ": " + (d.isError() ? "error: " : "warning: ") + message + "\n    " + line + "\n    "
                + " ".repeat(Math.max(0, inCell - lineStart)) + "^";
    }
}
