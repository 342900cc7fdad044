package io.llrspark.model.perf;

import io.llrspark.model.net.arch.NetworkFactory;
import io.llrspark.model.command.CommandLine;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.config.RunConfig;
import io.llrspark.model.data.LabeledImages;
import io.llrspark.model.net.BatchStatistics;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.LogitGradients;
import io.llrspark.model.objective.ObjectiveHook;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * The pass every objective rides on, against the machine's limit: for each network and layer implementation, the
 * FLOPs of a step counted from the layer shapes, ms per forward, per forward+backward and per training step of each
 * objective, the GFLOP/s achieved, and that as a fraction of ND4J's single-precision GEMM measured in the same run on
 * the same threads. {@code --profile} adds the per-layer (per-vertex) forward/backward times; {@code --input 3x224x224}
 * times random images of that shape instead of Fashion-MNIST (for the ImageNet networks). A benchmark, not a test.
 */
public final class SpeedBenchmark {
    private static final int WARMUP_CALLS = 3;
    private static final List<String> DEFAULT_OBJECTIVES = List.of("standard", "ADV-10", "TRADES-2", "LLR-2");

    private SpeedBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int batch = 128;
        int steps = 5;
        List<String> networks = List.of("small-cnn", "small-resnet");
        List<String> layers = List.of("native", "dl4j");
        List<String> objectives = DEFAULT_OBJECTIVES;
        boolean profile = false;
        String input = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--networks" -> networks = List.of(args[++i].split(","));
                case "--layers" -> layers = List.of(args[++i].split(","));
                case "--objectives" -> objectives = List.of(args[++i].split(","));
                case "--profile" -> profile = true;
                case "--input" -> input = args[++i];
                default -> throw new CommandLine.UsageError("speed: unknown option " + args[i]);
            }
        }
        LabeledImages data = input == null
                ? BenchmarkData.trainingData(ConfigLoader.load(null, List.of("llr.data.train-limit=" + batch * (steps + 2))))
                : synthetic(input, batch * (steps + 2));
        System.out.println(Machine.describe());
        double gemm = GemmThroughput.gflops(2048, 5);
        System.out.printf("GEMM (ND4J mmul, 2048x2048 float32, %s threads): %.1f GFLOP/s%n",
                Nd4j.getEnvironment().maxMasterThreads(), gemm);
        for (String network : networks) {
            for (String implementation : layers) {
                RunConfig config = ConfigLoader.load(null, List.of("llr.data.train-limit=" + batch * (steps + 2),
                        "llr.network.architecture=" + network, "llr.network.layers=" + implementation));
                run(config, data, batch, steps, objectives, gemm, profile);
            }
        }
        System.out.printf("peak resident memory: %s%n", TrainingBenchmark.peakRss());
    }

    private static void run(RunConfig config, LabeledImages data, int batch, int steps, List<String> objectives,
                            double gemm, boolean profile) {
        DataSet first = data.range(0, batch, config.network().arrayType());
        Classifier net = NetworkFactory.build(config.networkSpec(data.shape()));
        long forwardFlops = FlopCount.forward(net, first.getFeatures());
        long passFlops = 3 * forwardFlops;
        System.out.printf("%n%s, %s layers, batch %d: forward %.3f GFLOP, forward+backward %.3f GFLOP%n",
                config.network().architecture(), config.network().layers(), batch, forwardFlops / 1e9, passFlops / 1e9);
        // Medians: on a shared 2-core machine step times spread widely (the percentiles below show how widely).
        double forwardMs = StepTimes.measure(WARMUP_CALLS, steps,
                s -> net.logits(batch(data, s, batch, config).getFeatures(), BatchStatistics.LIVE)).quantile(0.5);
        double passMs = StepTimes.measure(WARMUP_CALLS, steps, s -> {
            DataSet ds = batch(data, s, batch, config);
            net.pass(ds.getFeatures(), LogitGradients.crossEntropy(ds.getLabels()), BatchStatistics.LIVE);
        }).quantile(0.5);
        System.out.printf("  %-18s %9.1f ms %8.1f GFLOP/s%n", "forward", forwardMs, forwardFlops / forwardMs / 1e6);
        System.out.printf("  %-18s %9.1f ms %8.1f GFLOP/s%n", "forward+backward", passMs, passFlops / passMs / 1e6);
        System.out.printf("  %-10s %7s %10s %15s %11s %9s %11s%n", "objective", "passes", "ms/step", "p10-p90",
                "x standard", "GFLOP/s", "efficiency");
        double standardMs = Double.NaN;
        for (String name : objectives) {
            Timed t = timeObjective(config, data, batch, steps, name);
            double ms = t.times().quantile(0.5);
            if (name.equalsIgnoreCase("standard")) {
                standardMs = ms;
            }
            double achieved = t.passes() * passFlops / ms / 1e6;
            System.out.printf("  %-10s %7d %10.1f %15s %11.2f %9.1f %10.1f%%%n", name, t.passes(), ms,
                    t.spread(), ms / standardMs, achieved, 100 * achieved / gemm);
        }
        if (profile) {
            System.out.printf("  per layer (training-mode forward / backward, ms):%n");
            double forward = 0;
            double backward = 0;
            List<LayerProfile.Row> rows = net.model() instanceof MultiLayerNetwork mln
                    ? LayerProfile.of(mln, first.getFeatures(), first.getLabels(), steps)
                    : LayerProfile.of((ComputationGraph) net.model(), first.getFeatures(), first.getLabels(), steps);
            for (LayerProfile.Row row : rows) {
                System.out.printf("    %-28s %8.2f %8.2f%n", row.layer(), row.forwardMs(), row.backwardMs());
                forward += row.forwardMs();
                backward += row.backwardMs();
            }
            System.out.printf("    %-28s %8.2f %8.2f%n", "sum", forward, backward);
        }
    }

    /** A training step's times and its passes. */
    record Timed(StepTimes times, int passes) {
        String spread() {
            return String.format("%.1f-%.1f", times.quantile(0.1), times.quantile(0.9));
        }
    }

    /**
     * Times training steps of one objective on a fresh network: what {@code speed} and {@code bench} both report, so
     * the two never disagree on the same step (the same warm-up, the median and the 10th-90th percentiles).
     */
    static Timed timeObjective(RunConfig config, LabeledImages data, int batch, int steps, String name) {
        Classifier trained = NetworkFactory.build(config.networkSpec(data.shape()));
        ObjectiveHook.bind(trained, BenchmarkObjectives.create(name, config.training().epsilon()), config.seed());
        StepTimes times = StepTimes.measure(WARMUP_CALLS, steps, s -> trained.trainStep(batch(data, s, batch, config)));
        return new Timed(times, ObjectiveHook.of(trained).lastStep().passes());
    }

    /** Random pixels and labels of shape CxHxW (1000 classes), e.g. 3x224x224 for the ImageNet networks. */
    private static LabeledImages synthetic(String shape, int n) {
        String[] dims = shape.split("x");
        if (dims.length != 3) {
            throw new CommandLine.UsageError("speed --input: expected CxHxW, e.g. 3x224x224, got " + shape);
        }
        int channels = Integer.parseInt(dims[0]);
        int height = Integer.parseInt(dims[1]);
        int width = Integer.parseInt(dims[2]);
        Random random = new Random(1);
        byte[] pixels = new byte[n * channels * height * width];
        random.nextBytes(pixels);
        int[] labels = random.ints(n, 0, 1000).toArray();
        return new LabeledImages(pixels, labels, channels, height, width, 1000);
    }

    private static DataSet batch(LabeledImages data, int step, int batch, RunConfig config) {
        int start = (step % (data.size() / batch)) * batch;
        return data.range(start, start + batch, config.network().arrayType());
    }
}
