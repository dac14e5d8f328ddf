package dev.sofim.data;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/** Extracts a .tar.gz, refusing any entry that would land outside the target folder. */
public final class SafeTar {
    private SafeTar() {
    }

    public static void extract(Path archive, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                String name = e.getName();
                Path out = root.resolve(name).normalize();
                if (name.startsWith("/") || Path.of(name).isAbsolute() || !out.startsWith(root)
                        || e.isSymbolicLink() || e.isLink()) {
                    throw new DatasetFormatException(archive, "tar entry '" + name
                            + "' would escape the target folder (absolute, '..', or a link); refusing to extract");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                } else if (e.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (java.io.EOFException e) {
            throw new DatasetFormatException(archive, "truncated archive");
        }
    }
}
