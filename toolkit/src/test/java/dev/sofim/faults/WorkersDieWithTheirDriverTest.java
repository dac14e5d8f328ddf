package dev.sofim.faults;

import dev.sofim.sweep.ParentWatch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 25, item 11: {@code kill -9} of a {@code --workers 2} driver left its workers running to race a re-run. */
class WorkersDieWithTheirDriverTest {
    @Test
    void aWorkerHaltsOnceItsDriverIsKilled() throws Exception {
        Process driver = new ProcessBuilder("sleep", "300").start();
        Process worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Orphan.class.getName(), ParentWatch.id(driver.toHandle()))
                .redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(new java.io.InputStreamReader(worker.getInputStream())).readLine();
            assertEquals("watching", first);
            assertTrue(worker.isAlive(), "the worker runs while its driver lives");
            driver.destroyForcibly().waitFor();   // SIGKILL: no hook of the driver runs
            assertTrue(worker.waitFor(60, TimeUnit.SECONDS), "the worker outlived its driver");
            assertEquals(ParentWatch.ORPHANED, worker.exitValue());
        } finally {
            driver.destroyForcibly();
            worker.destroyForcibly();
        }
    }

    @Test
    void aBadParentIsNamed() {
        for (String bad : List.of("12", "x@1", "1@2@3", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParentWatch.watch(bad));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("PID@START_MILLIS"), e.getMessage());
        }
    }
}
