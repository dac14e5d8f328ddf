package dev.sofim.kernel.api;

import dev.sofim.kernel.JavaKernel;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;

import java.util.UUID;

/**
 * IJava's notebook functions, statically imported into every cell: {@code display},
 * {@code updateDisplay}, {@code render}, {@code eval}, rendering by IJava's rules: images ({@code RenderedImage}) as
 * {@code image/png}, everything else as its {@code toString()}; pass MIME types to ask for others.
 */
public final class Notebook {
    private static volatile JavaKernel kernel;

    private Notebook() {
    }

    public static void attach(JavaKernel k) {
        kernel = k;
    }

    private static JavaKernel kernel() {
        JavaKernel k = kernel;
        if (k == null) {
            throw new IllegalStateException("no kernel is running: display functions work inside a notebook");
        }
        return k;
    }

    /** Renders {@code o} as an output of the running cell; returns its display id for {@link #updateDisplay}. */
    public static String display(Object o, String... mimeTypes) {
        DisplayData d = render(o, mimeTypes);
        String id = d.hasDisplayId() ? d.getDisplayId() : UUID.randomUUID().toString();
        d.setDisplayId(id);
        kernel().display(d);
        return id;
    }

    /** Replaces the output shown under {@code id} with {@code o}. */
    public static void updateDisplay(String id, Object o, String... mimeTypes) {
        DisplayData d = render(o, mimeTypes);
        kernel().getIO().display.updateDisplay(id, d);
    }

    /** The display data of {@code o} (what a cell's last expression shows). */
    public static DisplayData render(Object o, String... mimeTypes) {
        return kernel().render(o, mimeTypes);
    }

    /** Evaluates Java code as a cell would and returns the value of its last expression (null if none). */
    public static Object eval(String code) throws Exception {
        return kernel().evalValue(code);
    }
}
