package io.llrspark.spark.submit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs a script of submit/ from the repository root, as a user would, and reads back what --dry-run prints. */
final class Launcher {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String HELPERS_FLAG = "-Dorg.eclipse.deeplearning4j.helpers.disable=false";

    private Launcher() {
    }

    record Result(int status, String out, String err) {
        /** The dry-run command, split into words by bash itself: what the printed line runs when pasted. */
        SubmitCommand command() throws IOException, InterruptedException {
            assertEquals(0, status, err);
            Process p = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "_", out).start();
            String words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "the printed command is not valid shell: " + out);
            return SubmitCommand.parse(Arrays.asList(words.split("\0")));
        }
    }

    /** Runs submit/SCRIPT ARGS with only the given LLR_*, SPARK_* and Hadoop variables set. */
    static Result run(String script, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("submit").resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LLR_") || k.startsWith("SPARK_")
                || k.startsWith("HADOOP_") || k.startsWith("YARN_"));
        // The launchers check --config with the jar's classes: these, as the app jar does not exist before packaging.
        pb.environment().put("LLR_PLAN_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    static SubmitCommand dryRun(String script, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> withDryRun = new ArrayList<>(List.of("--dry-run"));
        withDryRun.addAll(List.of(args));
        return run(script, env, withDryRun.toArray(String[]::new)).command();
    }

    /**
     * A spark-submit command line: the executable, its options (every one spark-submit takes here has a value), the
     * application jar and the job's arguments.
     */
    record SubmitCommand(List<String> words, String executable, List<Map.Entry<String, String>> options, String jar,
                         List<String> appArgs) {
        static SubmitCommand parse(List<String> words) {
            List<Map.Entry<String, String>> options = new ArrayList<>();
            int i = 1;
            while (i < words.size() && words.get(i).startsWith("--")) {
                assertTrue(i + 1 < words.size(), "option without a value: " + words);
                options.add(Map.entry(words.get(i), words.get(i + 1)));
                i += 2;
            }
            assertTrue(i < words.size(), "no application jar in " + words);
            return new SubmitCommand(words, words.get(0), options, words.get(i), words.subList(i + 1, words.size()));
        }

        /** The value of a spark-submit option given once, or null if it is not given. */
        String option(String name) {
            List<String> values = options.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue)
                    .toList();
            assertTrue(values.size() <= 1, name + " given " + values.size() + " times");
            return values.isEmpty() ? null : values.get(0);
        }

        /** The Spark settings as spark-submit applies them: a later --conf of a key replaces an earlier one. */
        Map<String, String> conf() {
            Map<String, String> conf = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : options) {
                if (e.getKey().equals("--conf")) {
                    int eq = e.getValue().indexOf('=');
                    assertTrue(eq > 0, "--conf without KEY=VALUE: " + e.getValue());
                    conf.put(e.getValue().substring(0, eq), e.getValue().substring(eq + 1));
                }
            }
            return conf;
        }

        /** The words after spark-submit, as spark-submit receives them. */
        List<String> arguments() {
            return words.subList(1, words.size());
        }
    }
}
