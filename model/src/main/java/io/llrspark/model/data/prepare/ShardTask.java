package io.llrspark.model.data.prepare;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * One shard to write: which split, its number, where it goes (relative to the output directory) and the files it
 * is made of, in order.
 */
public record ShardTask(String split, int index, String path, List<SourceFile> files) implements Serializable {

    /**
     * Cuts a split's files into shards: a seeded shuffle of the sorted files (so every shard mixes the classes, and
     * training can read shards in sequence), then runs of {@code shardSize}. The plan is a function of the listing and
     * the settings alone, so a re-run writes the same shards however the work is spread.
     */
    public static List<ShardTask> plan(String split, List<SourceFile> sortedFiles, int shardSize, long seed) {
        List<SourceFile> files = new ArrayList<>(sortedFiles);
        // java.util.Random and Collections.shuffle are specified exactly, so the order is the same on every JVM.
        Collections.shuffle(files, new Random(seed * 31 + split.hashCode()));
        int count = (files.size() + shardSize - 1) / shardSize;
        int digits = Math.max(5, String.valueOf(count).length());
        List<ShardTask> tasks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = String.format("%s-%0" + digits + "d-of-%0" + digits + "d.shard", split, i, count);
            tasks.add(new ShardTask(split, i, split + "/" + name, List.copyOf(
                    files.subList(i * shardSize, Math.min(files.size(), (i + 1) * shardSize)))));
        }
        return tasks;
    }
}
