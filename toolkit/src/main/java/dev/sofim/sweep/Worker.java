package dev.sofim.sweep;

import java.io.BufferedReader;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What a worker JVM of {@link LocalRunner} runs ({@code sofim sweep worker DIR --logs DIR}): cell after cell of one
 * sweep store, asked for on standard input ({@code cell ID} lines; {@code quit} or the end of input stops it), each
 * answered on standard output with {@code done ID} or {@code failed ID REASON}. While a cell runs, everything it or the
 * libraries print goes to {@code LOGS/ID.log}, so standard output carries the answers only.
 */
public final class Worker {
    private static final Pattern CELL_ID = Pattern.compile("[0-9a-f]{1,64}");

    private Worker() {
    }

    public static void serve(String location, Path logs, InputStream requests, PrintStream answers) throws IOException {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        BufferedReader in = new BufferedReader(new InputStreamReader(requests, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
            String id = line.startsWith("cell ") ? line.substring(5).trim() : "";
            if (!CELL_ID.matcher(id).matches()) {
                answers.println("failed ? expected 'cell ID' with a cell id of hex digits, got '" + line + "'");
                answers.flush();
                continue;
            }
            String answer;
            try (PrintStream cellLog = new PrintStream(new FileOutputStream(logs.resolve(id + ".log").toFile(), true), true,
                    StandardCharsets.UTF_8)) {
                System.setOut(cellLog);
                System.setErr(cellLog);
                try {
                    SweepStore.runCell(location, id, cellLog);
                    answer = "done " + id;
                } catch (IOException | RuntimeException e) {
                    e.printStackTrace(cellLog);
                    answer = "failed " + id + " " + e;
                } finally {
                    System.setOut(stdout);
                    System.setErr(stderr);
                }
            }
            answers.println(answer.replace('\n', ' ').replace('\r', ' '));
            answers.flush();
        }
    }
}
