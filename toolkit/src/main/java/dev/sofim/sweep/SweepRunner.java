package dev.sofim.sweep;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Runs a sweep's cells into its store. Every runner gives each cell the same config, seed and data order, so a cell's
 * metrics do not depend on which runner ran it or how many ran at once; finished cells are never run again, and a
 * cell interrupted in the middle resumes from its last finished epoch.
 */
public interface SweepRunner {

    /**
     * Runs every unfinished cell; returns normally when all cells are finished (diverged cells count as finished). The
     * store's folder is locked meanwhile: a second driver on the same store is refused naming the first.
     */
    default void run(SweepStore store, PrintStream log) throws IOException {
        try (dev.sofim.data.FolderLock lock = dev.sofim.data.FolderLock.acquire(store.dir(), "sweep store")) {
            runCells(store, log);
        }
    }

    /** Runs every unfinished cell, the store already locked by {@link #run}. */
    void runCells(SweepStore store, PrintStream log) throws IOException;
}
