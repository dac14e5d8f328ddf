package dev.sofim.sweep;

import dev.sofim.experiment.ExperimentListener;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * A sweep store on a file system this JVM reaches only through a plug-in, named by a URI ({@code hdfs://nn/sweeps/x},
 * {@code s3a://bucket/sweeps/x}, {@code viewfs://…}). The toolkit/spark module provides one for every Hadoop file
 * system ({@code dev.sofim.spark.HadoopStore}); plug-ins are found with {@link ServiceLoader}.
 *
 * <p>The store's layout is the local one ({@code sweep.json}, {@code cells/<id>/}). A cell runs in a local staging
 * folder: its files are pulled first (so a retried cell resumes from its last finished epoch), and pushed back after
 * every epoch with the store's atomic discipline (a temporary name, then a rename; the metrics last, so they never name
 * an epoch whose checkpoint is missing). The driver reads a local mirror of the small files (no checkpoints).
 */
public interface RemoteStore {

    /** Whether this plug-in serves the URI's scheme. */
    boolean serves(URI uri);

    /**
     * Makes a local mirror of the store at {@code uri} (every file but checkpoints) and returns its folder. With a
     * sweep, a store not yet started gets its {@code sweep.json}; a store holding another sweep is refused. With null,
     * the store must exist.
     */
    Path mirror(URI uri, Sweep sweep) throws IOException;

    /**
     * Runs one cell of the store at {@code uri}, staging it locally and pushing each finished epoch back; the
     * listeners hear the run as on a local store.
     */
    void runCell(URI uri, String cellId, PrintStream log, ExperimentListener... listeners) throws IOException;

    /** Copies the mirror's top-level files (summary.csv, plots) to the store. */
    void publish(Path mirror, URI uri) throws IOException;

    /**
     * Whether a {@code --out} location names a remote store: a URI whose scheme has two or more letters and is not
     * {@code file} (so {@code C:\…} and plain paths stay local).
     */
    static boolean isRemote(String location) {
        return location.matches("[A-Za-z][A-Za-z0-9+.-]+://.*") && !location.startsWith("file:");
    }

    /** The plug-in serving {@code uri}; a clear error when none is on the class path. */
    static RemoteStore serving(URI uri) {
        for (RemoteStore s : ServiceLoader.load(RemoteStore.class)) {
            if (s.serves(uri)) {
                return s;
            }
        }
        throw new IllegalArgumentException(uri + ": no file system plug-in on the class path serves '" + uri.getScheme()
                + "://'; Hadoop file systems (hdfs://, s3a://, ...) come with the Spark module (toolkit/spark), which "
                + "toolkit/bin/sofim adds when --master or such a URI is given");
    }
}
