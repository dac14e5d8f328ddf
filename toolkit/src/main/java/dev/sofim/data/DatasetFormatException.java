package dev.sofim.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that is not what it should be: wrong checksum, truncated, bad header. Names the file. */
public final class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatasetFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
