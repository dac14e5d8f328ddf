package dev.sofim.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.common.Image;
import jdk.jshell.EvalException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel without a Jupyter connection: evaluation, errors, magics, rendering, completion. */
class JavaKernelTest {
    private static JavaKernel kernel;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("java.awt.headless", "true");
        kernel = new JavaKernel(Map.of("IJAVA_TIMEOUT", "20000", "IJAVA_STARTUP_SCRIPT", "int startupValue = 41;"));
    }

    @AfterAll
    static void stop() {
        kernel.onShutdown(false);
    }

    @Test
    void lastExpressionIsRenderedAndStateCarriesOver() throws Exception {
        DisplayData d = kernel.eval("int a = 20;\nint b = 22;\na + b");
        assertEquals("42", d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
        assertEquals(42, kernel.evalValue("startupValue + 1"));
        assertNull(kernel.eval("int c = 1;"), "a declaration shows nothing");
        assertNull(kernel.eval("System.out.println(\"hi\");"));
    }

    @Test
    void compileErrorNamesLineAndPointsAtIt() {
        CompilationException e = assertThrows(CompilationException.class, () -> kernel.eval("int x = 1;\nString s = x + ;\n"));
        String text = String.join("\n", kernel.formatError(e));
        assertTrue(text.contains("line 2") && text.contains("error"), text);
        assertTrue(text.contains("String s = x + ;") && text.contains("^"), text);
        CompilationException u = assertThrows(CompilationException.class, () -> kernel.eval("undefinedThing.call();"));
        assertTrue(u.getMessage().contains("undefinedThing"), u.getMessage());
    }

    @Test
    void exceptionsAreReportedWithClassMessageAndCellLine() {
        CellException e = assertThrows(CellException.class,
                () -> kernel.eval("Object o = null;\nthrow new IllegalStateException(\"boom \" + 7);"));
        assertEquals("java.lang.IllegalStateException: boom 7", e.getMessage());
        assertEquals("java.lang.IllegalStateException", ((EvalException) e.original()).getExceptionClassName());
        String text = String.join("\n", kernel.formatError(e));
        assertTrue(text.contains("java.lang.IllegalStateException: boom 7"), text);
        assertTrue(text.contains("cell code (snippet"), text);
        assertTrue(!text.contains("jdk.jshell"), text);
    }

    @Test
    void imagesRenderAsPng() throws Exception {
        DisplayData d = kernel.eval("new java.awt.image.BufferedImage(4, 3, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        assertTrue(d.hasDataForType(Image.PNG), "image/png expected");
    }

    /**
     * IJava 1.3.0's rules and no others: its base kernel's renderer (images, URLs, text), everything else as
     * {@code toString()}. A value with no renderer (an XChart chart, say) shows its class@hash on Binder, so here too.
     */
    @Test
    void valuesRenderByIJavasRulesOnly() throws Exception {
        DisplayData d = kernel.eval("class Chart { } new Chart()");
        for (String mime : List.of("image/png", "image/svg+xml", "image/jpeg", "text/html")) {
            assertTrue(!d.hasDataForType(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.parse(mime)),
                    "no " + mime + " for an object IJava has no renderer for");
        }
        Object text = d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
        assertTrue(text.toString().contains("Chart@"), String.valueOf(text));
        DisplayData image = kernel.eval("new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB)");
        assertTrue(image.hasDataForType(Image.PNG));
    }

    @Test
    void notebookFunctionsAreStaticallyImported() throws Exception {
        assertEquals(7, kernel.evalValue("(Integer) eval(\"3 + 4\")"));
        DisplayData d = kernel.eval("render(\"text\")");
        assertTrue(d.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN).toString().contains("text"));
    }

    @Test
    void jarsMagicAddsGlobbedJarsAndRejectsNoMatch(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src/pkg");
        Files.createDirectories(src);
        Files.writeString(src.resolve("Greeter.java"), "package pkg; public class Greeter { public static String hi() { return \"hello\"; } }");
        var compiler = javax.tools.ToolProvider.getSystemJavaCompiler();
        Path classes = dir.resolve("classes");
        assertEquals(0, compiler.run(null, null, null, "-d", classes.toString(), src.resolve("Greeter.java").toString()));
        Path jar = dir.resolve("lib").resolve("greeter-1.0.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("pkg/Greeter.class"));
            out.write(Files.readAllBytes(classes.resolve("pkg/Greeter.class")));
        }
        kernel.eval("%jars " + dir.resolve("lib") + "/*.jar\n");
        assertEquals("hello", kernel.evalValue("pkg.Greeter.hi()"));
        assertTrue(kernel.classpath().contains(jar.toString()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> kernel.eval("%jars " + dir.resolve("none") + "/*.jar\n1"));
        assertTrue(e.getMessage().contains("no file matches"), e.getMessage());
    }

    @Test
    void loadMagicRunsAFileWithMagicsAndImportsAsIJavaDoes(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("setup.jsh"), "%jars " + dir.resolve("none-needed") + "\n"
                + "import java.util.concurrent.atomic.*;\nint loadedValue = 7;\n");
        Files.createDirectories(dir.resolve("none-needed"));
        // the extension may be left out, as in IJava (`%load setup`), and code after the magic sees what it defined
        assertEquals(8, kernelCell("%load " + dir.resolve("setup") + "\nnew AtomicInteger(loadedValue + 1).get()"));
        assertTrue(kernel.classpath().contains(dir.resolve("none-needed").toString()));
        Exception e = assertThrows(Exception.class, () -> kernel.eval("%load " + dir.resolve("missing.jsh") + "\n"));
        assertTrue(e.getMessage().contains("missing.jsh"), e.getMessage());
    }

    /** Runs a cell through eval (magics included) and returns the value of its last expression. */
    private static Object kernelCell(String code) throws Exception {
        int last = code.lastIndexOf('\n');
        kernel.eval(code.substring(0, last + 1));
        return kernel.evalValue(code.substring(last + 1));
    }

    @Test
    void loggingIsWarningsOnlyUnlessAsked() {
        assertEquals(java.util.logging.Level.WARNING, KernelMain.quietLogging(null));
        assertEquals(java.util.logging.Level.INFO, KernelMain.quietLogging("info"));
        assertEquals(java.util.logging.Level.WARNING, KernelMain.quietLogging("chatty"));
        assertEquals(java.util.logging.Level.WARNING, java.util.logging.Logger.getLogger("").getLevel());
    }

    @Test
    void completionAndCompleteness() throws Exception {
        var r = kernel.complete("String.valueO", 13);
        assertTrue(r.getReplacements().stream().anyMatch(s -> s.startsWith("valueOf")), r.getReplacements().toString());
        assertEquals("complete", kernel.isComplete("int q = 1;"));
        assertEquals("    ", kernel.isComplete("for (int i = 0; i < 3; i++) {"), "incomplete: the next line's indent");
    }

    @Test
    void timeoutStopsARunawayCell() throws Exception {
        JavaKernel k = new JavaKernel(Map.of("IJAVA_TIMEOUT", "1000"));
        try {
            Exception e = assertThrows(Exception.class, () -> k.eval("while (true) { Thread.onSpinWait(); }"));
            assertInstanceOf(CellStoppedException.class, e, e.toString());
            assertTrue(e.getMessage().contains("IJAVA_TIMEOUT=1000"), e.getMessage());
            assertEquals(List.of(2), List.of(k.evalValue("1 + 1")), "the kernel still works");
        } finally {
            k.onShutdown(false);
            dev.sofim.kernel.api.Notebook.attach(kernel);
        }
    }
}
