package dev.sofim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a benchmark's results file says about the machine it ran on. */
public final class MachineInfo {
    private MachineInfo() {
    }

    /** The 1, 5 and 15 minute load averages, from /proc/loadavg ("unknown" elsewhere). */
    public static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        if (!Files.exists(p)) {
            return "unknown";
        }
        String[] f = Files.readString(p).trim().split("\\s+");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** CPU model, cores, Java version, OS. */
    public static String machine() throws IOException {
        String cpu = "unknown CPU";
        Path info = Path.of("/proc/cpuinfo");
        if (Files.exists(info)) {
            cpu = Files.readAllLines(info).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
    }
}
