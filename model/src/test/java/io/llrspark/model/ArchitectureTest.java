package io.llrspark.model;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every import between model/'s packages runs down the floors docs/architecture.md gives (so there are no cycles):
 * read off the compiled classes by the JDK's jdeps, class by class, so a failure names the classes at both ends.
 */
class ArchitectureTest {
    private static final String PREFIX = "io.llrspark.model.";
    private static final Pattern FLOOR = Pattern.compile("^floor (\\d+):\\s*(.+)$");
    private static final Pattern EDGE = Pattern.compile("^\\s+(io\\.llrspark\\.model\\.\\S+)\\s+->\\s+(io\\.llrspark\\.model\\.\\S+)\\s");

    @Test
    void everyImportRunsDownTheDocumentedFloors() throws Exception {
        Map<String, Integer> floors = documentedFloors();
        List<String[]> edges = classEdges();
        assertTrue(edges.size() > 100, "jdeps found too few dependencies: " + edges.size());
        TreeSet<String> unplaced = new TreeSet<>();
        TreeSet<String> wrong = new TreeSet<>();
        for (String[] e : edges) {
            String from = packageOf(e[0]);
            String to = packageOf(e[1]);
            if (from.equals(to)) {
                continue;
            }
            Integer a = floors.get(from);
            Integer b = floors.get(to);
            if (a == null || b == null) {
                unplaced.add(a == null ? from : to);
            } else if (b >= a) {
                wrong.add(String.format("%s (floor %d) -> %s (floor %d): %s -> %s", from, a, to, b,
                        e[0].substring(PREFIX.length()), e[1].substring(PREFIX.length())));
            }
        }
        assertEquals(new TreeSet<>(), unplaced, "packages without a floor in docs/architecture.md");
        assertEquals(new TreeSet<>(), wrong, "imports that do not run down the floors of docs/architecture.md");
    }

    /** The floors block of docs/architecture.md: package (without io.llrspark.model.) to its floor. */
    private static Map<String, Integer> documentedFloors() throws IOException {
        Map<String, Integer> floors = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "architecture.md"))) {
            Matcher m = FLOOR.matcher(line.strip());
            if (m.matches()) {
                for (String p : m.group(2).split(",")) {
                    floors.put(p.strip(), Integer.parseInt(m.group(1)));
                }
            }
        }
        assertTrue(floors.size() > 10, "docs/architecture.md lists no floors: " + floors);
        return floors;
    }

    /** Class-to-class dependencies inside model/'s main classes. */
    private static List<String[]> classEdges() throws IOException, InterruptedException {
        Path classes = Path.of("target", "classes");
        assertTrue(Files.isDirectory(classes.resolve("io/llrspark/model")), "compiled classes not at " + classes);
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Process p = new ProcessBuilder(jdeps.toString(), "-verbose:class", "-filter:none", classes.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "jdeps did not finish");
        assertEquals(0, p.exitValue(), out);
        List<String[]> edges = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                edges.add(new String[]{m.group(1), m.group(2)});
            }
        }
        return edges;
    }

    /** The package of a class, without io.llrspark.model. (nested classes: their outer class's). */
    private static String packageOf(String className) {
        String name = className.substring(PREFIX.length());
        int dot = name.lastIndexOf('.');
        // jdeps names nested classes Outer$Inner, so the last dot always ends the package.
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
