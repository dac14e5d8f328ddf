package dev.sofim.data;

import com.sun.net.httpserver.HttpServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CIFAR loading on small files written in the exact binary format (label byte(s), then 1024 red,
 * 1024 green, 1024 blue bytes per record), packed as tar.gz and served over loopback HTTP.
 */
class CifarLoadingTest {
    private HttpServer server;
    private final Map<String, byte[]> served = new HashMap<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = served.get(ex.getRequestURI().getPath().substring(1));
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    /** Records whose label is i % classes and whose pixel j is (i + j) mod 256. */
    static byte[] batch(int records, int labelBytes, int classes) {
        int rb = labelBytes + CifarBenchmark.PIXELS;
        byte[] b = new byte[records * rb];
        for (int i = 0; i < records; i++) {
            if (labelBytes == 2) {
                b[i * rb] = (byte) (i % 20);
            }
            b[i * rb + labelBytes - 1] = (byte) (i % classes);
            for (int j = 0; j < CifarBenchmark.PIXELS; j++) {
                b[i * rb + labelBytes + j] = (byte) (i + j);
            }
        }
        return b;
    }

    static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                tar.putArchiveEntry(te);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private CifarBenchmark tiny(String archive, byte[] bytes, String sha, int labelBytes, int classes) {
        served.put(archive, bytes);
        return new CifarBenchmark("tiny-cifar", archive, sha, List.of(url("missing.tar.gz"), url(archive)),
                "tiny-batches-bin", List.of("data_batch_1.bin", "data_batch_2.bin"), List.of("test_batch.bin"),
                labelBytes, classes);
    }

    private static Map<String, byte[]> files(int labelBytes, int classes) {
        Map<String, byte[]> m = new java.util.LinkedHashMap<>();
        m.put("tiny-batches-bin/data_batch_1.bin", batch(6, labelBytes, classes));
        m.put("tiny-batches-bin/data_batch_2.bin", batch(4, labelBytes, classes));
        m.put("tiny-batches-bin/test_batch.bin", batch(3, labelBytes, classes));
        return m;
    }

    @Test
    void downloadsVerifiesExtractsAndLoadsCifar10Format(@TempDir Path home) throws IOException {
        byte[] archive = tarGz(files(1, 10));
        CifarBenchmark b = tiny("tiny10.tar.gz", archive, Checksums.sha256(archive), 1, 10);
        Split s = new CifarLoader(b, null, home, true).load();
        assertEquals(10, s.train().size());
        assertEquals(3, s.test().size());
        assertEquals(3, s.train().channels());
        assertEquals(32, s.train().height());
        assertEquals(5, s.train().labels()[5]);
        assertEquals(1, s.train().labels()[6 + 1], "the second batch follows the first");
        // record 2, green plane, pixel (row 1, col 5): byte (2 + 1024 + 32 + 5) mod 256
        int j = 1024 + 32 + 5;
        assertEquals(((2 + j) & 0xff) / 255f, s.train().pixels()[2 * CifarBenchmark.PIXELS + j], 0);
        assertTrue(Files.isRegularFile(home.resolve("tiny-cifar/tiny-batches-bin.sha256")));
        served.clear();
        assertEquals(10, new CifarLoader(b, null, home, true).load().train().size(), "second load uses the cache");
    }

    @Test
    void cifar100FormatUsesTheFineLabel(@TempDir Path home) throws IOException {
        byte[] archive = tarGz(files(2, 100));
        CifarBenchmark b = tiny("tiny100.tar.gz", archive, Checksums.sha256(archive), 2, 100);
        Split s = new CifarLoader(b, null, home, true).load();
        assertEquals(5, s.train().labels()[5]);
        assertEquals(100, s.train().classes());
    }

    @Test
    void wrongChecksumLeavesNothingInTheCache(@TempDir Path home) throws IOException {
        byte[] archive = tarGz(files(1, 10));
        CifarBenchmark b = tiny("bad.tar.gz", archive, "0".repeat(64), 1, 10);
        IOException e = assertThrows(IOException.class, () -> new CifarLoader(b, null, home, true).load());
        assertTrue(e.getMessage().contains("SHA-256 mismatch") && e.getMessage().contains("0".repeat(64)), e.getMessage());
        assertEquals(List.of(), listTree(home), "nothing may stay in the cache");
    }

    @Test
    void pathTraversalEntryIsRejected(@TempDir Path root) throws IOException {
        Path home = root.resolve("home");
        Map<String, byte[]> entries = files(1, 10);
        entries.put("tiny-batches-bin/../../../evil.bin", new byte[] {1});
        byte[] archive = tarGz(entries);
        CifarBenchmark b = tiny("evil.tar.gz", archive, Checksums.sha256(archive), 1, 10);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new CifarLoader(b, null, home, true).load());
        assertTrue(e.getMessage().contains("evil.bin"), e.getMessage());
        assertFalse(Files.exists(root.resolve("evil.bin")));
        assertFalse(Files.exists(home.resolve("evil.bin")));
        assertFalse(Files.exists(home.resolve("tiny-cifar/tiny-batches-bin")), "no half-extracted folder");
    }

    @Test
    void truncatedBatchIsRejectedNamingTheFile(@TempDir Path home) throws IOException {
        Map<String, byte[]> entries = files(1, 10);
        byte[] short1 = java.util.Arrays.copyOf(batch(2, 1, 10), CifarBenchmark.PIXELS + 1 + 100);
        entries.put("tiny-batches-bin/data_batch_2.bin", short1);
        byte[] archive = tarGz(entries);
        CifarBenchmark b = tiny("trunc.tar.gz", archive, Checksums.sha256(archive), 1, 10);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> new CifarLoader(b, null, home, true).load());
        assertTrue(e.getMessage().contains("data_batch_2.bin") && e.getMessage().contains("truncated"), e.getMessage());
    }

    /** A corrupt cached archive is removed and the error says so (offline); the extracted data get the umask's mode. */
    @Test
    void aCorruptCachedArchiveIsNamedAndExtractedFilesAreReadable(@TempDir Path home) throws IOException {
        byte[] archive = tarGz(files(1, 10));
        CifarBenchmark b = tiny("corrupt.tar.gz", archive, Checksums.sha256(archive), 1, 10);
        Path cached = home.resolve("tiny-cifar/corrupt.tar.gz");
        Files.createDirectories(cached.getParent());
        byte[] flipped = archive.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(cached, flipped);
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> new CifarLoader(b, null, home, false).load());
        assertTrue(e.getMessage().contains("corrupt and has been removed") && e.getMessage().contains(cached.toString()),
                e.getMessage());
        assertFalse(Files.exists(cached));

        new CifarLoader(b, null, home, true).load();
        Path reference = Files.createDirectory(home.resolve("reference-dir"));
        assertEquals(Files.getPosixFilePermissions(reference),
                Files.getPosixFilePermissions(home.resolve("tiny-cifar/tiny-batches-bin")), "the umask's folder mode, not 0700");
    }

    @Test
    void offlineWithoutDataGivesAClearMessage(@TempDir Path home) {
        CifarBenchmark b = tiny("absent.tar.gz", new byte[0], "0".repeat(64), 1, 10);
        served.clear();
        FileNotFoundException e = assertThrows(FileNotFoundException.class,
                () -> new CifarLoader(b, null, home, false).load());
        assertTrue(e.getMessage().contains("not available offline") && e.getMessage().contains("absent.tar.gz"), e.getMessage());
    }

    private static List<Path> listTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
