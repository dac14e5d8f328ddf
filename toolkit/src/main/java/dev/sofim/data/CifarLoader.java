package dev.sofim.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds, verifies and reads a CIFAR binary dataset, in the toolkit's one order: the explicit folder
 * (the extracted batches, or the archive) → the cache ({@link DataHome}) → download. The archive's
 * SHA-256 is checked before extraction; extraction goes to a temp folder that is renamed into the
 * cache only when complete, with the archive's checksum recorded beside it. Records are checked:
 * every batch must be a whole number of records with labels in range.
 */
public final class CifarLoader {
    static final String VERIFIED_MARKER = ".sha256";

    private final CifarBenchmark benchmark;
    private final Path explicitDir;
    private final Path cacheDir;
    private final boolean allowDownload;

    public CifarLoader(CifarBenchmark benchmark, Path explicitDir, Path home, boolean allowDownload) {
        this.benchmark = benchmark;
        this.explicitDir = explicitDir;
        this.cacheDir = home.resolve(benchmark.id());
        this.allowDownload = allowDownload;
    }

    public CifarLoader(CifarBenchmark benchmark, Path explicitDir) {
        this(benchmark, explicitDir, DataHome.get(), true);
    }

    public Split load() throws IOException {
        return loadRaw().all();
    }

    /** Training and test sets as the batch files' bytes (floats are made for the images a run takes). */
    public RawSplit loadRaw() throws IOException {
        Path batches = batchesFolder();
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(benchmark.archive(), benchmark.sha256());
        RawImages train = read(batches, benchmark.trainFiles(), " train");
        RawImages test = read(batches, benchmark.testFiles(), " test");
        return new RawSplit(train, test, sums);
    }

    /** The folder holding the verified batch files, fetching and extracting them if needed. */
    public Path batchesFolder() throws IOException {
        if (explicitDir != null) {
            if (hasBatches(explicitDir.resolve(benchmark.folder()))) {
                return explicitDir.resolve(benchmark.folder());
            }
            if (hasBatches(explicitDir)) {
                return explicitDir;
            }
            Path archive = explicitDir.resolve(benchmark.archive());
            if (Files.isRegularFile(archive)) {
                Checksums.verify(archive, Checksums.sha256(archive), benchmark.sha256());
                return extractIntoCache(archive);
            }
            throw new FileNotFoundException(benchmark.id() + ": folder " + explicitDir + " holds neither the batch files "
                    + benchmark.trainFiles() + " nor " + benchmark.archive());
        }
        Path extracted = cacheDir.resolve(benchmark.folder());
        Path marker = cacheDir.resolve(benchmark.folder() + VERIFIED_MARKER);
        if (hasBatches(extracted) && Files.isRegularFile(marker)
                && Files.readString(marker).trim().equalsIgnoreCase(benchmark.sha256())) {
            return extracted;
        }
        Path archive = cacheDir.resolve(benchmark.archive());
        String corrupt = "";
        if (Files.isRegularFile(archive)) {
            try {
                Checksums.verify(archive, Checksums.sha256(archive), benchmark.sha256());
                return extractIntoCache(archive);
            } catch (DatasetFormatException e) {
                corrupt = " The cached archive was corrupt and has been removed (" + e.getMessage() + ").";
                java.util.logging.Logger.getLogger(CifarLoader.class.getName()).warning(benchmark.id() + ":" + corrupt);
                Files.delete(archive);
            }
        }
        if (!allowDownload) {
            throw new FileNotFoundException(absent() + corrupt);
        }
        try {
            Download.fetch(benchmark.urls(), benchmark.sha256(), archive);
        } catch (IOException e) {
            throw new FileNotFoundException(absent() + corrupt + " Download failed: " + e.getMessage());
        }
        return extractIntoCache(archive);
    }

    private String absent() {
        return benchmark.id() + " is not available offline: it is only distributed from " + benchmark.urls()
                + " (SHA-256 " + benchmark.sha256() + "). Connect to the internet and run `sofim data fetch "
                + benchmark.id() + "`, or put " + benchmark.archive() + " (or its extracted " + benchmark.folder()
                + "/) into " + cacheDir + ".";
    }

    private Path extractIntoCache(Path archive) throws IOException {
        Files.createDirectories(cacheDir);
        AtomicFiles.sweepStale(cacheDir, "extract", AtomicFiles.TEMP_SUFFIX, Download.STALE_MS);   // killed extractions
        // Not Files.createTempDirectory (mode 0700, which the move would keep): the umask's mode, as for any new folder.
        Path tmp = cacheDir.resolve(".extract" + Long.toUnsignedString(System.nanoTime(), 36) + AtomicFiles.TEMP_SUFFIX);
        Files.createDirectory(tmp);
        try {
            SafeTar.extract(archive, tmp);
            Path inner = tmp.resolve(benchmark.folder());
            if (!hasBatches(inner)) {
                throw new DatasetFormatException(archive, "does not contain " + benchmark.folder() + "/ with "
                        + benchmark.trainFiles() + " and " + benchmark.testFiles());
            }
            Path target = cacheDir.resolve(benchmark.folder());
            AtomicFiles.deleteTree(target);
            AtomicFiles.move(inner, target);
            AtomicFiles.writeString(cacheDir.resolve(benchmark.folder() + VERIFIED_MARKER), benchmark.sha256());
            return target;
        } finally {
            AtomicFiles.deleteTree(tmp);
        }
    }

    private boolean hasBatches(Path dir) {
        return Stream.concat(benchmark.trainFiles().stream(), benchmark.testFiles().stream())
                .allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    /** The batch files' records read into one array, kept as bytes (label byte(s), then 3,072 pixel bytes each). */
    private RawImages read(Path dir, List<String> files, String suffix) throws IOException {
        int rb = benchmark.recordBytes();
        long total = 0;
        for (String f : files) {
            Path p = dir.resolve(f);
            long size = Files.size(p);
            if (size == 0 || size % rb != 0) {
                throw new DatasetFormatException(p, "truncated or corrupt: " + size + " bytes is not a whole number of "
                        + rb + "-byte records");
            }
            total += size;
        }
        byte[] data = new byte[Math.toIntExact(total)];
        int records = Math.toIntExact(total / rb);
        int[] labels = new int[records];
        int at = 0;
        int r = 0;
        for (String f : files) {
            Path p = dir.resolve(f);
            int size = Math.toIntExact(Files.size(p));
            try (InputStream in = Files.newInputStream(p)) {
                if (in.readNBytes(data, at, size) != size) {
                    throw new DatasetFormatException(p, "changed while being read (expected " + size + " bytes)");
                }
            }
            for (int off = at; off < at + size; off += rb, r++) {
                int label = data[off + benchmark.labelBytes() - 1] & 0xff;
                if (label >= benchmark.classes()) {
                    throw new DatasetFormatException(p, "record " + ((off - at) / rb) + " has label "
                            + label + ", expected 0.." + (benchmark.classes() - 1));
                }
                labels[r] = label;
            }
            at += size;
        }
        return new RawImages(benchmark.id() + suffix, 3, 32, 32, benchmark.classes(), data, benchmark.labelBytes(), rb,
                labels);
    }
}
