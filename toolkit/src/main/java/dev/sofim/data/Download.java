package dev.sofim.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads a file to a temp file beside its target, checks its SHA-256, and only then moves it
 * into place: a failed or wrong download leaves nothing behind.
 */
public final class Download {
    private static final int TIMEOUT_MS = 30_000;

    /** A partial download untouched this long was left by a killed fetch: ten read timeouts. */
    static final long STALE_MS = 10L * TIMEOUT_MS;

    private Download() {
    }

    /**
     * Tries each URL in turn until one gives the expected bytes.
     *
     * @return the verified file, {@code target}
     * @throws IOException naming every URL tried and why it failed
     */
    public static Path fetch(List<URI> urls, String sha256, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        // what a killed fetch of this file left (a live one elsewhere writes at least once per read timeout)
        AtomicFiles.sweepStale(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".part", STALE_MS);
        List<String> failures = new ArrayList<>();
        for (URI url : urls) {
            Path tmp = AtomicFiles.tempFileFor(target, ".part");
            try {
                URLConnection c = url.toURL().openConnection();
                c.setConnectTimeout(TIMEOUT_MS);
                c.setReadTimeout(TIMEOUT_MS);
                try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
                    in.transferTo(out);
                }
                Checksums.verify(tmp.resolveSibling(target.getFileName() + " (from " + url + ")"),
                        Checksums.sha256(tmp), sha256);
                AtomicFiles.move(tmp, target);
                return target;
            } catch (IOException e) {
                failures.add(url + ": " + e.getMessage());
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        throw new IOException("could not download " + target.getFileName() + ": " + String.join("; ", failures));
    }
}
