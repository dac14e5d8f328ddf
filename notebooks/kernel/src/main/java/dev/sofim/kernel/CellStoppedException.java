package dev.sofim.kernel;

/** A cell stopped by an interrupt or by the IJAVA_TIMEOUT watchdog. */
public final class CellStoppedException extends Exception {
    private static final long serialVersionUID = 1L;

    public CellStoppedException(String reason) {
        super("cell stopped: " + reason);
    }
}
