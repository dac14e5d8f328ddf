package dev.sofim.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * XChart charts as PNG images (or SVG when asked), found by class name and called reflectively: the
 * kernel does not depend on XChart; the notebook's {@code %jars} brings it.
 */
final class ChartImages {
    private static final String CHART = "org.knowm.xchart.internal.chartpart.Chart";

    private ChartImages() {
    }

    static boolean isChart(Object o) {
        for (Class<?> c = o == null ? null : o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(CHART)) {
                return true;
            }
        }
        return false;
    }

    /** A BufferedImage of the chart, or SVG display data when {@code image/svg+xml} is asked for. */
    static Object toImageOrSvg(Object chart, String[] mimeTypes) {
        ClassLoader loader = chart.getClass().getClassLoader();
        try {
            Class<?> chartClass = Class.forName(CHART, false, loader);
            if (Arrays.asList(mimeTypes).contains("image/svg+xml")) {
                Class<?> enc = Class.forName("org.knowm.xchart.VectorGraphicsEncoder", true, loader);
                Class<?> fmt = Class.forName("org.knowm.xchart.VectorGraphicsEncoder$VectorGraphicsFormat", true, loader);
                Method save = enc.getMethod("saveVectorGraphic", chartClass, OutputStream.class, fmt);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                save.invoke(null, chart, out, fmt.getField("SVG").get(null));
                DisplayData d = new DisplayData();
                d.putSVG(out.toString(StandardCharsets.UTF_8));
                return d;
            }
            Class<?> enc = Class.forName("org.knowm.xchart.BitmapEncoder", true, loader);
            return enc.getMethod("getBufferedImage", chartClass).invoke(null, chart);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot render the XChart chart " + chart.getClass().getName() + ": " + e, e);
        }
    }
}
