package io.llrspark.model.data;

import java.util.SplittableRandom;

/** The example order of an epoch: a permutation drawn from (seed, epoch), so a resumed run sees the same batches. */
public final class MinibatchOrder {
    private MinibatchOrder() {
    }

    public static int[] permutation(int size, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Indices of batch {@code b} (the last batch may be smaller). */
    public static int[] batch(int[] order, int batchSize, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        return java.util.Arrays.copyOfRange(order, from, to);
    }

    public static int batches(int size, int batchSize) {
        return (size + batchSize - 1) / batchSize;
    }
}
