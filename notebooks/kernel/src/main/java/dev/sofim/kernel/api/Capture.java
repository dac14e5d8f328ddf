package dev.sofim.kernel.api;

/** Hands the value of a cell's last expression from JShell to the kernel (same JVM). Not for notebooks. */
public final class Capture {
    private static Object value;

    private Capture() {
    }

    public static synchronized void put(Object v) {
        value = v;
    }

    public static synchronized void clear() {
        value = null;
    }

    public static synchronized Object take() {
        Object v = value;
        value = null;
        return v;
    }
}
