package dev.sofim.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code toolkit/bin/gpu-check} without a GPU (this machine has none): it refuses before building or writing anything,
 * says why, and exits 3; with a driver that lists no device, or fails, the same; a bad option exits 2.
 */
class GpuCheckTest {
    private static final String SCRIPT = "toolkit/bin/gpu-check";

    private static Processes check(Path dir, String path, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT));
        cmd.addAll(List.of(args));
        return Processes.run(Processes.ROOT, Map.of("PATH", path), 2, cmd);
    }

    /** A fake nvidia-smi in its own folder that prints {@code output} and exits with {@code status}. */
    private static Path fakeSmi(Path dir, String output, int status) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '%s' '" + output + "'\nexit " + status + "\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    @Test
    void withoutADriverItRefusesBeforeBuildingOrWritingAnything(@TempDir Path dir) throws Exception {
        assumeFalse(Files.exists(Path.of("/usr/bin/nvidia-smi")) || Files.exists(Path.of("/bin/nvidia-smi")),
                "this machine has an NVIDIA driver; the refusal without one is checked on machines without");
        Path out = dir.resolve("gpu");
        Processes p = check(dir, "/usr/bin:/bin", "--out", out.toString());
        assertEquals(3, p.status(), p.output());
        assertTrue(p.output().contains("no usable NVIDIA GPU: nvidia-smi is not on the PATH"), p.output());
        assertTrue(p.output().contains("nothing was built or written"), p.output());
        assertFalse(Files.exists(out), "no results folder without a GPU");
    }

    /**
     * Fake drivers that gpu-check must refuse before building or writing anything: what nvidia-smi prints, its exit
     * status, gpu-check's exit status (3: no usable GPU, 4: a GPU the CUDA build has no code for) and what it says.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "No devices were found | 6 | 3 | nvidia-smi failed: No devices were found",
            "'' | 0 | 3 | nvidia-smi lists no device",
            // 8.9: Ada, e.g. an L4; the list is the build's SASS, read from its fat binary
            "0, NVIDIA L4, 8.9, 535.54.03, 23034 MiB | 0 | 4 | compute capability 8.9 (sm_89) is not among those",
            "0, NVIDIA L4, 8.9, 535.54.03, 23034 MiB | 0 | 4 | sm_37 sm_50 sm_52 sm_60 sm_61 sm_70 sm_75 sm_80 sm_86"})
    void aDriverWithoutAGpuTheBuildCanUseIsRefused(String smiSays, int smiStatus, int status, String expected,
                                                   @TempDir Path dir) throws Exception {
        Path out = dir.resolve("gpu");
        Path smi = fakeSmi(dir.resolve("smi"), smiSays, smiStatus);
        Processes p = check(dir, smi + ":/usr/bin:/bin", "--out", out.toString());
        assertEquals(status, p.status(), p.output());
        assertTrue(p.output().contains(expected), p.output());
        assertFalse(Files.exists(out), "nothing written without a GPU the build can use");
    }

    /**
     * {@code toolkit/bin/cuda-archs} on a library with a hand-made fat binary: a PTX entry for 8.6 and SASS for 8.0,
     * as the layout its header describes; a file with none is refused.
     */
    @Test
    void cudaArchsReadsTheKindAndArchitectureOfEveryFatBinaryEntry(@TempDir Path dir) throws Exception {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1024).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[100]);                         // whatever precedes the fat binary in the library
        int[][] entries = {{1, 86}, {2, 80}};         // kind (1 PTX, 2 SASS), sm
        b.putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong(entries.length * (64 + 32));
        for (int[] e : entries) {
            int start = b.position();
            b.putShort((short) e[0]).putShort((short) 0x101).putInt(64).putLong(32);
            b.position(start + 28);
            b.putInt(e[1]);
            b.position(start + 64 + 32);              // header, then a 32-byte payload
        }
        Path lib = dir.resolve("libfake.so");
        Files.write(lib, java.util.Arrays.copyOf(b.array(), b.position() + 50));
        Path md = dir.resolve("archs.md");
        Processes p = Processes.run(Processes.ROOT, Map.of(), 2, List.of("python3", "toolkit/bin/cuda-archs", "--out",
                md.toString(), lib.toString()));
        assertEquals(0, p.status(), p.output());
        String table = Files.readString(md);
        assertTrue(table.contains("| libfake.so | SASS | 8.0 (sm_80) | 1 |"), table);
        assertTrue(table.contains("| libfake.so | PTX | 8.6 (sm_86) | 1 |"), table);
        Files.write(dir.resolve("plain.so"), new byte[256]);
        p = Processes.run(Processes.ROOT, Map.of(), 2, List.of("python3", "toolkit/bin/cuda-archs",
                dir.resolve("plain.so").toString()));
        assertEquals(1, p.status(), p.output());
        assertTrue(p.output().contains("no CUDA fat binary in"), p.output());
    }

    @Test
    void aBadOptionNamesItself(@TempDir Path dir) throws Exception {
        Processes p = check(dir, "/usr/bin:/bin", "--gpus", "2");
        assertEquals(2, p.status(), p.output());
        assertTrue(p.output().contains("unknown argument '--gpus'"), p.output());
        p = check(dir, "/usr/bin:/bin", "--out");
        assertEquals(2, p.status(), p.output());
        assertTrue(p.output().contains("--out needs a folder"), p.output());
    }
}
