package dev.sofim.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sofim doctor: a healthy cache says so; one flipped byte is named with its offline repair; nothing is changed. */
class DataDoctorTest {

    private static Path cacheWithRealMnist(Path home) throws IOException {
        Path dir = Files.createDirectories(home.resolve("mnist"));
        IdxLoader real = new IdxLoader(IdxBenchmark.MNIST, null);
        for (String f : IdxBenchmark.MNIST.files()) {
            Files.write(dir.resolve(f), real.resolve(f));
        }
        return dir;
    }

    @Test
    void aGoodCacheIsHealthy(@TempDir Path home) throws IOException {
        cacheWithRealMnist(home);
        List<DataDoctor.Finding> findings = DataDoctor.check(home);
        String report = DataDoctor.report(findings);
        assertTrue(findings.stream().filter(f -> f.dataset().equals("mnist")).allMatch(f -> f.status() == DataDoctor.Status.OK), report);
        // Fashion-MNIST comes from the Debian package that setup installs.
        assertTrue(DataDoctor.healthy(findings), report);
        assertTrue(report.contains("all datasets the toolkit needs offline are present and intact"), report);
    }

    @Test
    void oneFlippedByteIsNamedWithTheOfflineRepairAndNothingIsDeleted(@TempDir Path home) throws IOException {
        Path dir = cacheWithRealMnist(home);
        Path bad = dir.resolve("train-labels-idx1-ubyte");
        byte[] b = Files.readAllBytes(bad);
        b[1234] ^= 4;
        Files.write(bad, b);
        List<DataDoctor.Finding> findings = DataDoctor.check(home);
        String report = DataDoctor.report(findings);
        assertFalse(DataDoctor.healthy(findings), report);
        assertTrue(report.contains("CORRUPT") && report.contains(bad.toString())
                && report.contains("expected " + IdxBenchmark.MNIST.sha256("train-labels-idx1-ubyte"))
                && report.contains("bash toolkit/bin/install-offline-data.sh"), report);
        assertEquals(1, findings.stream().filter(f -> f.status() == DataDoctor.Status.CORRUPT).count(), report);
        assertTrue(Files.exists(bad), "the doctor only reads");
    }
}
