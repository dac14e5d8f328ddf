package dev.sofim.data;

import java.nio.file.Path;

/**
 * The toolkit's dataset cache folder: the system property {@value #PROPERTY}, else the environment
 * variable {@value #ENV}, else {@code ~/.cache/sofim}.
 */
public final class DataHome {
    public static final String PROPERTY = "sofim.data.dir";
    public static final String ENV = "SOFIM_DATA_DIR";

    private DataHome() {
    }

    public static Path get() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".cache", "sofim");
        }
        return Path.of(p);
    }
}
