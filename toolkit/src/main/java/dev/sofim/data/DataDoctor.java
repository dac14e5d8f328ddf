package dev.sofim.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, without changing anything, every dataset file the toolkit can find (the cache, then the package
 * folders) against its SHA-256, and says how to repair what is wrong: {@code sofim doctor}.
 */
public final class DataDoctor {
    /** What was found for one file. */
    public enum Status { OK, CORRUPT, MISSING }

    /**
     * One file of one dataset.
     *
     * @param path   where it was found (for MISSING, where the cache would hold it)
     * @param detail the checksum mismatch, or what was looked for
     */
    public record Finding(String dataset, String file, Status status, Path path, String detail) {
        /** MNIST and Fashion-MNIST are needed offline; CIFAR is optional and online only. */
        public boolean required() {
            return !dataset.startsWith("cifar");
        }
    }

    private DataDoctor() {
    }

    /** Every file of every dataset, looked up in the cache under {@code home} and the package folders. */
    public static List<Finding> check(Path home) {
        List<Finding> out = new ArrayList<>();
        for (IdxBenchmark b : List.of(IdxBenchmark.MNIST, IdxBenchmark.FASHION_MNIST)) {
            for (String f : b.files()) {
                out.add(checkIdx(b, f, home));
            }
        }
        for (CifarBenchmark c : List.of(CifarBenchmark.CIFAR10, CifarBenchmark.CIFAR100)) {
            out.add(checkCifar(c, home.resolve(c.id())));
        }
        return out;
    }

    private static Finding checkIdx(IdxBenchmark b, String file, Path home) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(home.resolve(b.id()));
        dirs.addAll(b.localDirs());
        for (Path dir : dirs) {
            for (Path p : List.of(dir.resolve(file), dir.resolve(file + ".gz"))) {
                if (Files.isRegularFile(p)) {
                    try {
                        String actual = Checksums.sha256(Idx.readBytes(p));
                        return actual.equalsIgnoreCase(b.sha256(file))
                                ? new Finding(b.id(), file, Status.OK, p, "")
                                : new Finding(b.id(), file, Status.CORRUPT, p, "SHA-256 " + actual + ", expected " + b.sha256(file));
                    } catch (IOException e) {
                        return new Finding(b.id(), file, Status.CORRUPT, p, "unreadable: " + e.getMessage());
                    }
                }
            }
        }
        return new Finding(b.id(), file, Status.MISSING, home.resolve(b.id()).resolve(file),
                "not in " + dirs.stream().map(Path::toString).toList());
    }

    private static Finding checkCifar(CifarBenchmark c, Path cache) {
        Path archive = cache.resolve(c.archive());
        Path marker = cache.resolve(c.folder() + CifarLoader.VERIFIED_MARKER);
        try {
            if (Files.isRegularFile(marker) && Files.readString(marker).trim().equalsIgnoreCase(c.sha256())
                    && Files.isDirectory(cache.resolve(c.folder()))) {
                return new Finding(c.id(), c.folder() + "/", Status.OK, cache.resolve(c.folder()), "extracted from a verified archive");
            }
            if (Files.isRegularFile(archive)) {
                String actual = Checksums.sha256(archive);
                return actual.equalsIgnoreCase(c.sha256()) ? new Finding(c.id(), c.archive(), Status.OK, archive, "")
                        : new Finding(c.id(), c.archive(), Status.CORRUPT, archive, "SHA-256 " + actual + ", expected " + c.sha256());
            }
        } catch (IOException e) {
            return new Finding(c.id(), c.archive(), Status.CORRUPT, archive, "unreadable: " + e.getMessage());
        }
        return new Finding(c.id(), c.archive(), Status.MISSING, archive, "optional; only from " + c.urls());
    }

    /** Whether every required file is present and intact and no file found is corrupt. */
    public static boolean healthy(List<Finding> findings) {
        return findings.stream().noneMatch(f -> f.status() == Status.CORRUPT || (f.status() == Status.MISSING && f.required()));
    }

    /** One line per finding, then what to do. */
    public static String report(List<Finding> findings) {
        StringBuilder sb = new StringBuilder();
        for (Finding f : findings) {
            sb.append(String.format("%-8s %-14s %-28s %s%s%n", f.status(), f.dataset(), f.file(), f.path(),
                    f.detail().isEmpty() ? "" : "  (" + f.detail() + ")"));
        }
        boolean idxBad = findings.stream().anyMatch(f -> f.required() && f.status() != Status.OK);
        if (idxBad) {
            sb.append("\nrepair offline: delete the CORRUPT files above, then run `bash toolkit/bin/install-offline-data.sh`\n");
        }
        for (Finding f : findings) {
            if (!f.required() && f.status() == Status.CORRUPT) {
                sb.append("repair ").append(f.dataset()).append(": delete ").append(f.path())
                        .append(", then (online) `sofim data fetch ").append(f.dataset()).append("`\n");
            }
        }
        sb.append(healthy(findings) ? "\nall datasets the toolkit needs offline are present and intact\n" : "");
        return sb.toString();
    }
}
