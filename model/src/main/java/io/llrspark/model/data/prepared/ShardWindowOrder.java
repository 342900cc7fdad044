package io.llrspark.model.data.prepared;

import java.util.SplittableRandom;

/**
 * An epoch's order over a sharded dataset that keeps reads local: the shards in a random order, taken a window of
 * {@code window} shards at a time, the examples of each window shuffled together. Consecutive minibatches then draw
 * from the same few shards (each read about once an epoch) while every class still mixes into every minibatch,
 * because prepare-data spread each class over all shards.
 */
public final class ShardWindowOrder {
    private ShardWindowOrder() {
    }

    /**
     * @param shardSizes examples per shard, in the dataset's order (example indices count through them)
     * @return a permutation of 0 .. Σ shardSizes − 1
     */
    public static int[] order(int[] shardSizes, int window, long seed, int epoch) {
        int[] starts = new int[shardSizes.length];
        int total = 0;
        for (int s = 0; s < shardSizes.length; s++) {
            starts[s] = total;
            total += shardSizes[s];
        }
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + epoch);
        int[] shards = new int[shardSizes.length];
        for (int s = 0; s < shards.length; s++) {
            shards[s] = s;
        }
        shuffle(shards, 0, shards.length, random);
        int[] order = new int[total];
        int at = 0;
        for (int w = 0; w < shards.length; w += window) {
            int from = at;
            for (int s = w; s < Math.min(shards.length, w + window); s++) {
                for (int i = 0; i < shardSizes[shards[s]]; i++) {
                    order[at++] = starts[shards[s]] + i;
                }
            }
            shuffle(order, from, at, random);
        }
        return order;
    }

    private static void shuffle(int[] a, int from, int to, SplittableRandom random) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
