package io.llrspark.model.data.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import io.llrspark.model.data.prepared.PreparedDataset;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.data.image.DecodedImage;
import io.llrspark.model.data.image.ImageDecoder;
import io.llrspark.model.data.image.TestImages;
import io.llrspark.model.data.shard.ShardReader;
import io.llrspark.model.data.shard.ShardRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks a prepared dataset against the {@link ImageNetTree} it was made from: class index, counts per class and per
 * skip reason, the skipped files by name, and every shard record: the original file's bytes, decoding to the
 * original image's pixels (within JPEG's loss), with its class's label.
 */
public final class PreparedTreeCheck {
    private PreparedTreeCheck() {
    }

    public static void assertPrepared(ImageNetTree tree, Storage storage, String output, List<String> splits)
            throws Exception {
        PreparedDataset dataset = PreparedDataset.read(storage, output);
        assertEquals(ImageNetTree.WNIDS, dataset.classes().names());
        assertEquals(splits, dataset.splits());
        for (String split : splits) {
            JsonNode s = dataset.manifest().path("splits").path(split);
            assertEquals(tree.files(split), s.path("files").asInt(), split + " files");
            assertEquals(tree.images(split).size(), dataset.examples(split), split + " examples");
            for (Map.Entry<SkipReason, Integer> e : tree.badCounts(split).entrySet()) {
                assertEquals(e.getValue(), s.path("skipped_by_reason").path(e.getKey().key()).asInt(),
                        split + " skipped as " + e.getKey().key());
            }
            Map<String, SkipReason> skipped = new TreeMap<>();
            s.path("skipped_files").forEach(f -> skipped.put(f.path("file").asText(),
                    SkipReason.valueOf(f.path("reason").asText().toUpperCase(java.util.Locale.ROOT))));
            assertEquals(tree.bad(split), skipped, split + " skipped files");
            int[] perClass = tree.perClass(split);
            for (int c = 0; c < perClass.length; c++) {
                assertEquals(perClass[c], s.path("examples_per_class").path(ImageNetTree.WNIDS.get(c)).asInt(),
                        split + " examples of " + ImageNetTree.WNIDS.get(c));
            }

            Map<String, DecodedImage> seen = new TreeMap<>();
            JsonNode shardList = s.path("shards");
            List<PreparedDataset.Shard> shards = dataset.shards(storage, split);
            for (int i = 0; i < shards.size(); i++) {
                byte[] file;
                try (InputStream in = storage.open(shards.get(i).path())) {
                    file = in.readAllBytes();
                }
                assertEquals(shardList.get(i).path("bytes").asLong(), file.length);
                assertEquals(shardList.get(i).path("sha256").asText(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)));
                List<ShardRecord> records = ShardReader.readAll(shards.get(i).path(), new ByteArrayInputStream(file));
                assertEquals(shards.get(i).examples(), records.size());
                for (ShardRecord r : records) {
                    assertEquals(ImageNetTree.WNIDS.get(r.label()), wnidOf(tree, split, r.name()), r.name());
                    assertArrayEquals(Files.readAllBytes(tree.root().resolve(split).resolve(r.name())), r.bytes(),
                            r.name());
                    DecodedImage decoded = ImageDecoder.decode(r.bytes());
                    double mad = TestImages.meanAbsoluteDifference(tree.images(split).get(r.name()), decoded);
                    assertTrue(mad < 3, r.name() + " decodes " + mad + " levels off its original on average");
                    assertTrue(seen.put(r.name(), decoded) == null, r.name() + " twice");
                }
            }
            assertEquals(tree.images(split).keySet(), seen.keySet(), split + ": every image once");
        }
    }

    /** The class a test image was written for: its directory, or for flat val files, the tree's record. */
    private static String wnidOf(ImageNetTree tree, String split, String name) {
        int slash = name.indexOf('/');
        return slash > 0 ? name.substring(0, slash) : ImageNetTree.WNIDS.get(tree.labelOf(split, name));
    }

    /** Bytes of every shard, by path under the output directory, to compare two runs. */
    public static Map<String, byte[]> shardBytes(Storage storage, String output, List<String> splits)
            throws IOException {
        PreparedDataset dataset = PreparedDataset.read(storage, output);
        Map<String, byte[]> bytes = new TreeMap<>();
        for (String split : splits) {
            for (PreparedDataset.Shard shard : dataset.shards(storage, split)) {
                try (InputStream in = storage.open(shard.path())) {
                    bytes.put(shard.path().substring(output.length() + 1), in.readAllBytes());
                }
            }
        }
        return bytes;
    }
}
