package io.llrspark.model.data.prepared;

import io.llrspark.model.data.prepare.DatasetPreparation;
import io.llrspark.model.data.prepare.ImageNetTree;
import io.llrspark.model.tasks.LocalTaskRunner;
import io.llrspark.model.data.prepare.PrepareConfig;
import io.llrspark.model.tasks.StorageFactory;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.config.ConfigLoader;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.Examples;
import io.llrspark.model.data.image.ImageAugmentation;
import io.llrspark.model.data.image.ImageBatches;
import io.llrspark.model.data.shard.ShardCache;
import io.llrspark.model.data.shard.ShardReader;
import io.llrspark.model.data.shard.ShardRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A generated ImageNet-layout tree of real JPEGs, prepared into shards, read back as training and test examples. */
class PreparedImagesTest {
    private static final long MB = 1 << 20;
    @TempDir
    Path dir;
    private final LocalStorage storage = new LocalStorage();
    private String prepared;

    @BeforeEach
    void prepare() throws Exception {
        ImageNetTree.write(dir.resolve("in"), false, false);
        prepared = dir.resolve("prepared").toString();
        PrepareConfig config = PrepareConfig.from(ConfigLoader.merge(null, List.of(
                "llr.prepare.input=\"" + dir.resolve("in") + "\"", "llr.prepare.output=\"" + prepared + "\"",
                "llr.prepare.shard-size=4", "llr.prepare.max-bad-fraction=0.5")));
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        DatasetPreparation.run(config, storage, StorageFactory.LOCAL, new LocalTaskRunner(quiet), "test", quiet);
    }

    private PreparedImages source(String split, boolean training, int classes, int limit, int window, long cache) {
        return new PreparedImages(prepared, split, training, 16, 0.08, classes, limit, window, cache, 5);
    }

    /** Every record of the split in the dataset's order, read straight from the shards. */
    private List<ShardRecord> records(String split) throws Exception {
        List<ShardRecord> all = new ArrayList<>();
        for (PreparedDataset.Shard s : PreparedDataset.read(storage, prepared).shards(storage, split)) {
            try (InputStream in = storage.open(s.path())) {
                all.addAll(ShardReader.readAll(s.path(), in));
            }
        }
        return all;
    }

    @Test
    void trainingExamplesAreTheShardsImagesAugmentedPerEpoch() throws Exception {
        PreparedImages train = source("train", true, 0, 0, 2, 64 * MB);
        train.requireExists(storage);
        assertEquals(new DatasetShape(12, 3, 16, 16, 3), train.shape(storage), "3 classes from the class index");
        List<ShardRecord> expected = records("train");
        int[] order = train.order(train.shape(storage), 5, 0);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(java.util.stream.IntStream.range(0, 12).toArray(), sorted, "a permutation");

        Examples examples = train.open(storage);
        DataSet epoch0 = examples.batch(order, 0, DataType.FLOAT);
        for (int i = 0; i < order.length; i++) {
            assertEquals(expected.get(order[i]).label(), epoch0.getLabels().getRow(i).argMax().getInt(0),
                    "label of example " + order[i]);
        }
        assertEquals(epoch0.getFeatures(), examples.batch(order, 0, DataType.FLOAT).getFeatures(), "reproducible");
        assertFalse(epoch0.getFeatures().equals(examples.batch(order, 1, DataType.FLOAT).getFeatures()),
                "another epoch, other crops");
        assertTrue(epoch0.getFeatures().minNumber().doubleValue() >= 0
                && epoch0.getFeatures().maxNumber().doubleValue() <= 1, "pixels in [0, 1]");
    }

    @Test
    void testExamplesAreCentreCropsInTheDatasetsOrder() throws Exception {
        PreparedImages val = source("val", false, 3, 0, 2, 64 * MB);
        val.requireExists(storage);
        List<ShardRecord> expected = records("val");
        assertEquals(expected.size(), val.shape(storage).size());
        DataSet batch = val.open(storage).range(0, expected.size(), DataType.FLOAT);
        DataSet direct = ImageBatches.batch("val", expected, new long[expected.size()],
                ImageAugmentation.evaluation(16), 3, DataType.FLOAT);
        assertEquals(direct.getFeatures(), batch.getFeatures());
        assertEquals(direct.getLabels(), batch.getLabels());
    }

    /**
     * The order shuffles shards, then examples within windows of shards: the first window's examples are exactly the
     * examples of two whole shards, and reading an epoch in that order reads each shard once.
     */
    @Test
    void epochOrderStaysWithinWindowsOfShardsAndReadsEachShardOnce() throws Exception {
        PreparedImages train = source("train", true, 0, 0, 2, 64 * MB);
        DatasetShape shape = train.shape(storage);
        List<PreparedDataset.Shard> shards = PreparedDataset.read(storage, prepared).shards(storage, "train");
        int[] shardOf = new int[shape.size()];
        int at = 0;
        for (int s = 0; s < shards.size(); s++) {
            for (int i = 0; i < shards.get(s).examples(); i++) {
                shardOf[at++] = s;
            }
        }
        int[] order = train.order(shape, 9, 3);
        for (int from = 0; from < order.length; ) {
            Set<Integer> window = new HashSet<>();
            int to = from;
            while (to < order.length && (window.size() < 2 || window.contains(shardOf[order[to]]))) {
                window.add(shardOf[order[to++]]);
            }
            int examples = 0;
            for (int s : window) {
                examples += shards.get(s).examples();
            }
            assertEquals(examples, to - from, "a window holds its shards' examples, all together: "
                    + Arrays.toString(order));
            from = to;
        }
        assertArrayEquals(order, train.order(shape, 9, 3), "drawn from (seed, epoch)");
        assertFalse(Arrays.equals(order, train.order(shape, 9, 4)));

        long before = ShardCache.jvm().reads();
        Examples examples = train.open(storage);
        for (int from = 0; from < order.length; from += 4) {
            examples.batch(Arrays.copyOfRange(order, from, from + 4), 3, DataType.FLOAT);
        }
        assertEquals(shards.size(), ShardCache.jvm().reads() - before, "each shard read once");

        // A cache too small for one shard costs reads, not correctness.
        PreparedImages starved = source("train", true, 0, 0, 2, 1);
        starved.shape(storage);
        DataSet a = starved.open(storage).batch(order, 3, DataType.FLOAT);
        DataSet b = train.open(storage).batch(order, 3, DataType.FLOAT);
        assertEquals(b.getFeatures(), a.getFeatures());
    }

    @Test
    void limitTakesTheFirstExamples() throws Exception {
        PreparedImages train = source("train", true, 0, 6, 2, 64 * MB);
        DatasetShape shape = train.shape(storage);
        assertEquals(6, shape.size());
        int[] sorted = train.order(shape, 1, 0).clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5}, sorted);
        assertThrows(IndexOutOfBoundsException.class, () -> train.open(storage).batch(new int[]{6}, 0, DataType.FLOAT));
    }

    @Test
    void wrongSettingsAreNamed() {
        ConfigError classes = assertThrows(ConfigError.class, () -> source("train", true, 7, 0, 2, MB).shape(storage));
        assertTrue(classes.getMessage().startsWith("llr.data.classes: 7") && classes.getMessage().contains("3 classes"),
                classes.getMessage());
        ConfigError split = assertThrows(ConfigError.class, () -> source("test", false, 0, 0, 2, MB)
                .requireExists(storage));
        assertTrue(split.getMessage().startsWith("llr.data.test-split: ") && split.getMessage().contains("[train, val]"),
                split.getMessage());
        ConfigError missing = assertThrows(ConfigError.class, () -> new PreparedImages(dir.resolve("in").toString(),
                "train", true, 16, 0.08, 0, 0, 2, MB, 5).requireExists(storage));
        assertTrue(missing.getMessage().startsWith("llr.data.prepared: ") && missing.getMessage()
                .contains("manifest.json does not exist"), missing.getMessage());
    }
}
