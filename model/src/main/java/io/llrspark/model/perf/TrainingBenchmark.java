package io.llrspark.model.perf;

import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.command.CommandLine;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.objective.TrainingObjective;
import io.llrspark.model.objective.ObjectiveHook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        int warmup = 3;
        java.util.Set<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--only" -> only = java.util.Set.of(args[++i].split(","));
                default -> throw new CommandLine.UsageError("bench: unknown option " + args[i]);
            }
        }
        RunConfig config = ConfigLoader.load(null, List.of("llr.network.architecture=small-cnn",
                "llr.data.train-limit=" + batch * (steps + warmup)));
        LabeledImages data = BenchmarkData.trainingData(config);
        Map<String, TrainingObjective> objectives = new LinkedHashMap<>();
        for (String name : List.of("standard", "ADV-2", "ADV-7", "ADV-10", "LLR-2")) {
            objectives.put(name, BenchmarkObjectives.create(name, 0.1));
        }
        if (only != null) {
            if (!objectives.keySet().containsAll(only)) {
                throw new CommandLine.UsageError("bench --only: expected some of " + objectives.keySet());
            }
            objectives.keySet().retainAll(only);
        }
        Map<String, Double> msPerStep = new LinkedHashMap<>();
        System.out.printf("SmallCNN (%s), batch %d, %d timed steps after at least %d warm-up steps and 2 s, %d threads%n",
                config.network().activation(), batch, steps, warmup, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-10s %8s %10s %8s %12s%n", "objective", "ms/step", "images/s", "passes", "min/epoch");
        for (Map.Entry<String, TrainingObjective> e : objectives.entrySet()) {
            Classifier net = NetworkFactory.build(config.networkSpec(data.shape()));
            ObjectiveHook.bind(net, e.getValue(), config.seed());
            int batches = warmup + steps;
            int size = batch;
            double ms = StepTimes.measure(warmup, steps, s -> net.trainStep(data.range(s % batches * size,
                    (s % batches + 1) * size, config.network().arrayType()))).mean();
            msPerStep.put(e.getKey(), ms);
            // An epoch of Fashion-MNIST is 60 000 images.
            System.out.printf("%-10s %8.1f %10.1f %8d %12.1f%n", e.getKey(), ms, batch * 1000 / ms,
                    ObjectiveHook.of(net).lastStep().passes(), 60_000.0 / batch * ms / 60_000);
        }
        if (msPerStep.containsKey("LLR-2") && msPerStep.containsKey("standard")) {
            System.out.printf("LLR-2 / standard = %.2f (target <= 7)%n", msPerStep.get("LLR-2") / msPerStep.get("standard"));
        }
        if (msPerStep.containsKey("LLR-2") && msPerStep.containsKey("ADV-10")) {
            System.out.printf("LLR-2 / ADV-10   = %.2f (target <= 0.55)%n", msPerStep.get("LLR-2") / msPerStep.get("ADV-10"));
        }
        System.out.printf("peak resident memory: %s (target <= 3 GiB)%n", peakRss());
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
