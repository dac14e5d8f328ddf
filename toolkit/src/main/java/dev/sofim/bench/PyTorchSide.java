package dev.sofim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PyTorch side of a benchmark: a script of this package's resources run by a {@code python3} that imports torch,
 * in a folder of its own, driven over stdin one request line at a time (so that its rows take turns with ND4J's). The
 * script prints {@code ready torch VERSION} first, then one line per request.
 */
final class PyTorchSide implements AutoCloseable {
    /**
     * glibc malloc settings for the PyTorch process: keep freed memory for reuse instead of mapping and unmapping it
     * for every large tensor. Without them PyTorch 1.13's times on this machine swing by several times with its
     * allocation pattern (page faults on fresh mappings): {@code toolkit/benchmarks/conv-probe-*.md} has PyTorch's rows
     * with and without. The benchmarks compare against PyTorch with them, the harder comparison; PyTorch's CPU
     * performance advice (a caching allocator such as jemalloc) has the same aim.
     */
    static final Map<String, String> ALLOCATOR = Map.of("MALLOC_MMAP_THRESHOLD_", "1000000000",
            "MALLOC_TRIM_THRESHOLD_", "1000000000");
    private static final String STDERR = "stderr.log";
    private static final String HOW = "(Debian: apt-get install python3-torch; or point SOFIM_PYTHON at a python3 with torch)";
    private final Process process;
    private final BufferedReader in;
    private final Writer toScript;
    private final Path dir;
    /** torch.__version__. */
    final String version;

    private PyTorchSide(Process process, Path dir) throws IOException {
        this.process = process;
        this.dir = dir;
        this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.toScript = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        String ready = in.readLine();
        if (ready == null || !ready.startsWith("ready torch ")) {
            String err = errors();
            close();
            throw new IOException("the PyTorch side did not start (" + ready + "): " + err.strip() + " " + HOW);
        }
        this.version = ready.split(" ")[2];
    }

    /**
     * Copies {@code scripts} (resources of this package; the first is run, the others it may import) into {@code dir}
     * (which this side deletes with everything in it on {@link #close}) and starts the first with {@code args}, with
     * {@link #ALLOCATOR}'s settings.
     */
    static PyTorchSide start(Path dir, List<String> scripts, List<String> args) throws IOException {
        return start(dir, scripts, args, true);
    }

    /** As {@link #start(Path, List, List)}; {@code allocator}: with {@link #ALLOCATOR}'s settings, else glibc's defaults. */
    static PyTorchSide start(Path dir, List<String> scripts, List<String> args, boolean allocator) throws IOException {
        for (String name : scripts) {
            try (InputStream s = PyTorchSide.class.getResourceAsStream(name)) {
                if (s == null) {
                    throw new IOException("the resource " + name + " is missing from the toolkit jar");
                }
                Files.write(dir.resolve(name), s.readAllBytes());
            }
        }
        List<String> cmd = new ArrayList<>(List.of(python(), "-B", dir.resolve(scripts.get(0)).toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve(STDERR).toFile());
        if (allocator) {
            pb.environment().putAll(ALLOCATOR);
        } else {
            ALLOCATOR.keySet().forEach(pb.environment()::remove);
        }
        try {
            return new PyTorchSide(pb.start(), dir);
        } catch (IOException e) {
            throw new IOException("cannot start " + cmd.get(0) + " for the PyTorch rows (" + e.getMessage() + ") " + HOW, e);
        }
    }

    /** Sends one request line and returns the script's answer, which must start with {@code expect}. */
    String request(String line, String expect) throws IOException {
        toScript.write(line + "\n");
        toScript.flush();
        String answer = in.readLine();
        if (answer == null || !answer.startsWith(expect)) {
            throw new IOException("the PyTorch side stopped or failed on '" + line + "': " + answer + " "
                    + errors());
        }
        return answer;
    }

    /**
     * What the script wrote to its standard error, once it has stopped or failed. It goes to a file in {@code dir}, not
     * a pipe: a script that warns a lot would otherwise fill the pipe and block while this side waits for its answer.
     */
    private String errors() throws IOException {
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);   // a failing script's last words reach the file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Path f = dir.resolve(STDERR);
        return Files.exists(f) ? Files.readString(f).strip() : "";
    }

    /**
     * The first of {@code $SOFIM_PYTHON}, {@code python3} on the PATH and Debian's {@code /usr/bin/python3} that imports
     * torch (a pyenv or venv python3 on the PATH often lacks Debian's python3-torch).
     */
    static String python() throws IOException {
        List<String> tried = new ArrayList<>();
        for (String p : new String[] {System.getenv("SOFIM_PYTHON"), "python3", "/usr/bin/python3"}) {
            if (p == null || p.isBlank() || tried.contains(p)) {
                continue;
            }
            tried.add(p);
            try {
                Process check = new ProcessBuilder(p, "-c", "import torch").redirectErrorStream(true).start();
                check.getInputStream().readAllBytes();
                if (check.waitFor() == 0) {
                    return p;
                }
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while looking for python3 with torch", e);
            }
        }
        throw new IOException("the PyTorch rows need a python3 with torch; none of " + tried + " imports it " + HOW);
    }

    @Override
    public void close() throws IOException {
        try {
            toScript.write("quit\n");
            toScript.flush();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
        dev.sofim.data.AtomicFiles.deleteTree(dir);
    }
}
