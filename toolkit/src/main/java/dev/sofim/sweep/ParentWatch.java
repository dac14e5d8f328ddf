package dev.sofim.sweep;

import java.time.Instant;
import java.util.Optional;

/**
 * A worker process dies with its driver. A driver killed with {@code kill -9} runs no shutdown hook, so it cannot stop
 * its workers; each worker therefore watches the driver (its pid and start instant, so a reused pid does not count)
 * and halts once the driver is gone. A halted cell resumes from its last checkpoint when the sweep runs again, and no
 * orphan races the re-run for the cell.
 */
public final class ParentWatch {
    /** How often a worker looks at its driver. */
    public static final long POLL_MILLIS = 500;

    /** The exit status of a worker whose driver has gone. */
    public static final int ORPHANED = 3;

    private ParentWatch() {
    }

    /** The option a driver passes its workers: {@code --parent PID@START} (this process). */
    public static String self() {
        return id(ProcessHandle.current());
    }

    /** A process's {@code PID@START_MILLIS}. */
    public static String id(ProcessHandle p) {
        return p.pid() + "@" + p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Starts a daemon thread that halts this JVM when the process named by {@code pidAtStart} ({@link #self()} of the
     * driver) has ended.
     */
    public static void watch(String pidAtStart) {
        String[] parts = pidAtStart.split("@", -1);
        long pid;
        long start;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            pid = Long.parseLong(parts[0]);
            start = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--parent must be PID@START_MILLIS (what a sweep driver passes), got '"
                    + pidAtStart + "'");
        }
        Thread t = new Thread(() -> {
            while (true) {
                if (!alive(pid, start)) {
                    System.err.println("sofim: the sweep driver (pid " + pid + ") has ended; this worker stops, and the "
                            + "cell resumes from its last checkpoint when the sweep runs again");
                    Runtime.getRuntime().halt(ORPHANED);
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "sofim-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().isAlive() && (startMillis == 0
                || p.get().info().startInstant().map(Instant::toEpochMilli).orElse(startMillis) == startMillis);
    }
}
