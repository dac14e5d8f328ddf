package dev.sofim.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command with a time limit; returns its exit status and combined output. */
record Processes(int status, String output) {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static Processes run(Path dir, Map<String, String> env, long timeoutMinutes, List<String> command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("proc", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " took longer than " + timeoutMinutes + " min:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        Files.delete(log);
        return new Processes(p.exitValue(), out);
    }

    /** Deletes a folder and everything in it (so a run starts fresh instead of resuming). */
    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
