package dev.sofim.sweep;

import java.io.IOException;
import java.io.PrintStream;

/**
 * Runs a sweep's cells into its store. Every runner gives each cell the same config, seed and data order, so a cell's
 * metrics do not depend on which runner ran it or how many ran at once; finished cells are never run again, and a
 * cell interrupted in the middle resumes from its last finished epoch.
 */
public interface SweepRunner {

    /** Runs every unfinished cell; returns normally when all cells are finished (diverged cells count as finished). */
    void run(SweepStore store, PrintStream log) throws IOException;
}
