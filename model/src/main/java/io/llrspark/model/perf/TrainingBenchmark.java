package io.llrspark.model.perf;

import io.llrspark.model.command.CommandLine;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times training steps of SmallCNN on Fashion-MNIST for standard, ADV-2/7/10 and LLR-2 (ε = 0.1), and prints ms per
 * step, images per second, the cost ratios and the process's peak resident memory. A benchmark, not a test.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int batch = 128;
        int steps = 10;
        java.util.Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> throw new CommandLine.UsageError("bench: unknown option " + args[i]);
            }
        }
        RunConfig config = ConfigLoader.load(null, List.of("llr.network.architecture=small-cnn",
                "llr.data.train-limit=" + batch * (steps + 3)));
        LabeledImages data = BenchmarkData.trainingData(config);
        List<String> objectives = new ArrayList<>(List.of("standard", "ADV-2", "ADV-7", "ADV-10", "TRADES-2", "LLR-2"));
        if (only != null) {
            if (!objectives.containsAll(only)) {
                throw new CommandLine.UsageError("bench --only: expected some of " + objectives);
            }
            objectives.retainAll(only);
        }
        Map<String, Double> msPerStep = new LinkedHashMap<>();
        System.out.println(Machine.describe());
        System.out.printf("SmallCNN (%s), batch %d, median of %d timed steps after at least 3 warm-up steps and 2 s%n",
                config.network().activation(), batch, steps);
        System.out.printf("%-10s %8s %13s %10s %8s %12s%n", "objective", "ms/step", "p10-p90", "images/s", "passes",
                "min/epoch");
        for (String name : objectives) {
            SpeedBenchmark.Timed t = SpeedBenchmark.timeObjective(config, data, batch, steps, name);
            double ms = t.times().quantile(0.5);
            msPerStep.put(name, ms);
            // An epoch of Fashion-MNIST is 60 000 images.
            System.out.printf("%-10s %8.1f %13s %10.1f %8d %12.1f%n", name, ms, t.spread(), batch * 1000 / ms,
                    t.passes(), 60_000.0 / batch * ms / 60_000);
        }
        if (msPerStep.containsKey("LLR-2") && msPerStep.containsKey("standard")) {
            System.out.printf("LLR-2 / standard = %.2f (target <= 6)%n", msPerStep.get("LLR-2") / msPerStep.get("standard"));
        }
        if (msPerStep.containsKey("LLR-2") && msPerStep.containsKey("ADV-10")) {
            System.out.printf("LLR-2 / ADV-10   = %.2f (target <= 0.55)%n", msPerStep.get("LLR-2") / msPerStep.get("ADV-10"));
        }
        System.out.printf("peak resident memory: %s (target <= 2 GiB)%n", peakRss());
    }

    static String peakRss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return "unknown";
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.2f GiB", kb / 1024.0 / 1024.0);
            }
        }
        return "unknown";
    }
}
