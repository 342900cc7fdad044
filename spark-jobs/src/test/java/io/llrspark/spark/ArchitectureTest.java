package io.llrspark.spark;

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
 * Every import between the packages of a module runs down the floors docs/architecture.md gives for it (so there
 * are no cycles), in model/ and in spark-jobs/: read off the compiled classes by the JDK's jdeps, class by class, so
 * a failure names the classes at both ends. Here, in the module built last, where both modules' classes exist.
 */
class ArchitectureTest {
    private static final Pattern FLOOR = Pattern.compile("^(model|spark) floor (\\d+):\\s*(.+)$");

    @Test
    void modelImportsRunDownTheDocumentedFloors() throws Exception {
        check("model", Path.of("..", "model", "target", "classes"));
    }

    @Test
    void sparkJobsImportsRunDownTheDocumentedFloors() throws Exception {
        check("spark", Path.of("target", "classes"));
    }

    private static void check(String module, Path classes) throws IOException, InterruptedException {
        String prefix = "io.llrspark." + module + ".";
        Map<String, Integer> floors = documentedFloors(module);
        List<String[]> edges = classEdges(classes, prefix);
        assertTrue(edges.size() > 50, "jdeps found too few dependencies in " + classes + ": " + edges.size());
        TreeSet<String> unplaced = new TreeSet<>();
        TreeSet<String> wrong = new TreeSet<>();
        for (String[] e : edges) {
            String from = packageOf(e[0], prefix);
            String to = packageOf(e[1], prefix);
            if (from.equals(to)) {
                continue;
            }
            Integer a = floors.get(from);
            Integer b = floors.get(to);
            if (a == null || b == null) {
                unplaced.add(a == null ? from : to);
            } else if (b >= a) {
                wrong.add(String.format("%s (floor %d) -> %s (floor %d): %s -> %s", from, a, to, b,
                        e[0].substring(prefix.length()), e[1].substring(prefix.length())));
            }
        }
        assertEquals(new TreeSet<>(), unplaced, module + " packages without a floor in docs/architecture.md");
        assertEquals(new TreeSet<>(), wrong, module + " imports that do not run down the floors of docs/architecture.md");
    }

    /** The module's floors in docs/architecture.md: package (without io.llrspark.MODULE.) to its floor. */
    private static Map<String, Integer> documentedFloors(String module) throws IOException {
        Map<String, Integer> floors = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "docs", "architecture.md"))) {
            Matcher m = FLOOR.matcher(line.strip());
            if (m.matches() && m.group(1).equals(module)) {
                for (String p : m.group(3).split(",")) {
                    floors.put(p.strip().replace("\"", ""), Integer.parseInt(m.group(2)));
                }
            }
        }
        assertTrue(floors.size() > 3, "docs/architecture.md lists no floors for " + module + ": " + floors);
        return floors;
    }

    /** Class-to-class dependencies inside one module's main classes. */
    private static List<String[]> classEdges(Path classes, String prefix) throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(classes), "compiled classes not at " + classes);
        Path jdeps = Path.of(System.getProperty("java.home"), "bin", "jdeps");
        Process p = new ProcessBuilder(jdeps.toString(), "-verbose:class", "-filter:none", classes.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "jdeps did not finish");
        assertEquals(0, p.exitValue(), out);
        Pattern edge = Pattern.compile("^\\s+(" + Pattern.quote(prefix) + "\\S+)\\s+->\\s+(" + Pattern.quote(prefix)
                + "\\S+)\\s");
        List<String[]> edges = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = edge.matcher(line);
            if (m.find()) {
                edges.add(new String[]{m.group(1), m.group(2)});
            }
        }
        return edges;
    }

    /** A class's package without the module prefix ("" for the module's root package); jdeps writes Outer$Inner. */
    private static String packageOf(String className, String prefix) {
        String name = className.substring(prefix.length());
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
