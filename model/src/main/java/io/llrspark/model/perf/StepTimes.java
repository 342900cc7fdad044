package io.llrspark.model.perf;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The per-call times of a benchmarked step, in ms and sorted, measured after untimed calls for at least two seconds
 * (and a minimum number of calls): the Vector API kernels reach full speed only once C2 has compiled them, and the
 * compiler threads share the cores meanwhile.
 */
public record StepTimes(double[] sortedMs) {
    private static final long WARMUP_NANOS = 2_000_000_000L;

    /** Calls {@code call} with consecutive indices from 0: the warm-up ones first, then {@code steps} timed ones. */
    public static StepTimes measure(int minWarmupCalls, int steps, IntConsumer call) {
        long warmupEnd = System.nanoTime() + WARMUP_NANOS;
        int s = 0;
        while (s < minWarmupCalls || System.nanoTime() < warmupEnd) {
            call.accept(s++);
        }
        double[] ms = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            call.accept(s++);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new StepTimes(ms);
    }

    public double mean() {
        return Arrays.stream(sortedMs).average().orElse(Double.NaN);
    }

    /** Linear interpolation between the order statistics, q in [0, 1]. */
    public double quantile(double q) {
        double at = q * (sortedMs.length - 1);
        int below = (int) Math.floor(at);
        int above = Math.min(sortedMs.length - 1, below + 1);
        return sortedMs[below] + (at - below) * (sortedMs[above] - sortedMs[below]);
    }
}
