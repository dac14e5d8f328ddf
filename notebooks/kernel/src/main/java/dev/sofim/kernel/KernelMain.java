package dev.sofim.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts the kernel on a Jupyter connection file: {@code java -cp ... dev.sofim.kernel.KernelMain CONNECTION.json}.
 * The base library logs every Jupyter message at INFO through java.util.logging; the kernel logs warnings only,
 * unless {@code SOFIM_KERNEL_LOG} names another level ({@code INFO}, {@code FINE}, {@code ALL}, ...).
 */
public final class KernelMain {
    private KernelMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KernelMain CONNECTION_FILE.json (Jupyter passes {connection_file})");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        quietLogging(System.getenv("SOFIM_KERNEL_LOG"));
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        JavaKernel kernel = new JavaKernel(System.getenv());
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    /** Sets the java.util.logging level of the root logger and its handlers: WARNING, or the level named. */
    static Level quietLogging(String requested) {
        Level level;
        try {
            level = requested == null || requested.isBlank() ? Level.WARNING : Level.parse(requested.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("kernel: SOFIM_KERNEL_LOG=" + requested + " is not a java.util.logging level "
                    + "(SEVERE, WARNING, INFO, FINE, ALL, OFF); logging warnings only");
            level = Level.WARNING;
        }
        Logger root = Logger.getLogger("");
        root.setLevel(level);
        for (Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
        return level;
    }
}
