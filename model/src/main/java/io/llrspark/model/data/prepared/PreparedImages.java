package io.llrspark.model.data.prepared;

import io.llrspark.model.storage.Storage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.DatasetShape;
import io.llrspark.model.data.ExampleSource;
import io.llrspark.model.data.Examples;
import io.llrspark.model.data.image.ImageAugmentation;
import io.llrspark.model.data.image.ImageBatches;
import io.llrspark.model.data.shard.ShardCache;
import io.llrspark.model.data.shard.ShardReader;
import io.llrspark.model.data.shard.ShardRecord;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One split of a dataset prepare-data wrote, read where the examples are needed: shards come whole from storage into
 * the JVM's {@link ShardCache}, JPEGs are decoded and augmented per minibatch (random-resized-crop and flip, seeded by
 * run seed, epoch and example, when {@code training}; resize and centre crop otherwise) into [0, 1] pixels.
 *
 * @param classes    0: the class index's count; otherwise it must equal it
 * @param limit      use only the first {@code limit} examples (0: all)
 * @param window     shards whose examples an epoch's order shuffles together ({@link ShardWindowOrder})
 * @param cacheBytes this JVM's shard cache limit
 * @param minCropArea training crops cover this fraction of the image's area at least (0.08: torchvision's default)
 */
public record PreparedImages(String directory, String split, boolean training, int imageSize, double minCropArea,
                             int classes, int limit, int window, long cacheBytes, long seed) implements ExampleSource {

    private static final Map<PreparedImages, Plan> PLANS = new ConcurrentHashMap<>();

    /** The shards this source reads (cut at the limit) and where each one's examples start. */
    private record Plan(List<String> paths, int[] sizes, int[] starts, int total, int classes) {
    }

    @Override
    public void requireExists(Storage storage) throws IOException {
        String manifest = storage.resolve(directory, PreparedDataset.MANIFEST);
        if (!ExampleSource.present(storage, "llr.data.prepared", manifest)) {
            throw new ConfigError("llr.data.prepared: " + manifest + " does not exist: " + directory + " is not a "
                    + "dataset prepare-data wrote, or its preparation did not finish");
        }
        PreparedDataset dataset = PreparedDataset.read(storage, directory);
        if (!dataset.splits().contains(split)) {
            throw new ConfigError("llr.data." + (training ? "train" : "test") + "-split: " + directory + " has no split '"
                    + split + "' (it has " + dataset.splits() + ")");
        }
        plan(storage);
    }

    @Override
    public DatasetShape shape(Storage storage) throws IOException {
        Plan p = plan(storage);
        return new DatasetShape(p.total(), 3, imageSize, imageSize, p.classes());
    }

    /**
     * The manifest's shards must all be there and non-empty (one listing per folder); their records are checked by
     * the tasks that read them, which name the shard and the record.
     */
    @Override
    public DatasetShape verify(Storage storage) throws IOException {
        Plan p = plan(storage);
        Map<String, Map<String, Long>> listed = new HashMap<>();
        for (int i = 0; i < p.paths().size(); i++) {
            String path = p.paths().get(i);
            int slash = path.lastIndexOf('/');
            String folder = slash < 0 ? "." : path.substring(0, slash);
            Map<String, Long> sizes = listed.computeIfAbsent(folder, f -> sizes(storage, f));
            Long bytes = sizes.get(path.substring(slash + 1));
            if (bytes == null || bytes == 0) {
                throw new DataFormatException(path, (bytes == null ? "is missing" : "is empty") + ": the manifest of "
                        + directory + " lists it with " + p.sizes()[i] + " examples");
            }
        }
        return shape(storage);
    }

    private static Map<String, Long> sizes(Storage storage, String folder) {
        Map<String, Long> sizes = new HashMap<>();
        try {
            for (Storage.Entry e : storage.entries(folder)) {
                sizes.put(e.name(), e.size());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return sizes;
    }

    @Override
    public int[] order(DatasetShape shape, long seed, int epoch) {
        Plan p = PLANS.get(this);
        if (p == null) {
            throw new IllegalStateException("order() before shape(): the plan of " + describe() + " is not read yet");
        }
        return ShardWindowOrder.order(p.sizes(), window, seed, epoch);
    }

    @Override
    public Examples open(Storage storage) throws IOException {
        Plan p = plan(storage);
        ImageAugmentation augmentation = training
                ? ImageAugmentation.training(imageSize, minCropArea, 1.0, 3.0 / 4, 4.0 / 3)
                : ImageAugmentation.evaluation(imageSize);
        return new Examples() {
            @Override
            public int size() {
                return p.total();
            }

            @Override
            public int classes() {
                return p.classes();
            }

            @Override
            public DataSet batch(int[] indices, int epoch, DataType type) {
                List<ShardRecord> records = new ArrayList<>(indices.length);
                long[] seeds = new long[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    int index = indices[i];
                    if (index < 0 || index >= p.total()) {
                        throw new IndexOutOfBoundsException("example " + index + " of " + describe() + " (it has "
                                + p.total() + ")");
                    }
                    int shard = Arrays.binarySearch(p.starts(), index);
                    shard = shard >= 0 ? shard : -shard - 2;
                    // Zero-size shards share a start with their successor; the search may land on either.
                    while (p.sizes()[shard] == 0 || index >= p.starts()[shard] + p.sizes()[shard]) {
                        shard++;
                    }
                    records.add(shardRecords(storage, p, shard).get(index - p.starts()[shard]));
                    seeds[i] = ImageAugmentation.exampleSeed(seed, epoch, index);
                }
                return ImageBatches.batch(describe(), records, seeds, augmentation, p.classes(), type);
            }
        };
    }

    private List<ShardRecord> shardRecords(Storage storage, Plan p, int shard) {
        String path = p.paths().get(shard);
        try {
            List<ShardRecord> records = ShardCache.jvm().get(path, cacheBytes, s -> {
                try (InputStream in = storage.open(s)) {
                    return ShardReader.readAll(s, in);
                }
            });
            if (records.size() < p.sizes()[shard]) {
                throw new DataFormatException(path, "holds " + records.size() + " examples, the manifest says "
                        + p.sizes()[shard]);
            }
            return records;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read shard " + path + ": " + e.getMessage(), e);
        }
    }

    private Plan plan(Storage storage) throws IOException {
        Plan known = PLANS.get(this);
        if (known != null) {
            return known;
        }
        PreparedDataset dataset = PreparedDataset.read(storage, directory);
        int indexClasses = dataset.classes().size();
        if (classes != 0 && classes != indexClasses) {
            throw new ConfigError("llr.data.classes: " + classes + ", but " + directory + "'s class index has "
                    + indexClasses + " classes (0 takes the index's count)");
        }
        List<PreparedDataset.Shard> shards = dataset.shards(storage, split);
        int remaining = limit > 0 ? limit : Integer.MAX_VALUE;
        List<String> paths = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (PreparedDataset.Shard s : shards) {
            if (remaining == 0) {
                break;
            }
            int take = Math.min(s.examples(), remaining);
            paths.add(s.path());
            sizes.add(take);
            remaining -= take;
        }
        int[] size = sizes.stream().mapToInt(Integer::intValue).toArray();
        int[] starts = new int[size.length];
        int total = 0;
        for (int i = 0; i < size.length; i++) {
            starts[i] = total;
            total += size[i];
        }
        if (total == 0) {
            throw new ConfigError("llr.data.prepared: split '" + split + "' of " + directory + " holds no examples");
        }
        Plan plan = new Plan(List.copyOf(paths), size, starts, total, indexClasses);
        PLANS.putIfAbsent(this, plan);
        return PLANS.get(this);
    }

    @Override
    public String describe() {
        return directory + " (" + split + ")";
    }
}
