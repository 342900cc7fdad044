package io.llrspark.model.data.prepared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.data.DataFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A prepared dataset as its readers see it: the classes and each split's shards, from {@code manifest.json} (whose
 * presence means the dataset is complete) and {@code class-index.json}.
 */
public record PreparedDataset(String directory, ClassIndex classes, JsonNode manifest) {
    /** The dataset's commit marker, written last by prepare-data. */
    public static final String MANIFEST = "manifest.json";
    public static final String FORMAT = "llr-image-shards";
    public static final int FORMAT_VERSION = 1;

    /** A shard of a split: its full path and how many examples it holds. */
    public record Shard(String path, int examples) {
    }

    public static PreparedDataset read(Storage storage, String directory) throws IOException {
        String manifestPath = storage.resolve(directory, MANIFEST);
        if (!storage.exists(manifestPath)) {
            throw new DataFormatException(manifestPath, "not found: not a prepared dataset, or its preparation did "
                    + "not finish");
        }
        JsonNode manifest;
        try (InputStream in = storage.open(manifestPath)) {
            manifest = new ObjectMapper().readTree(in);
        }
        if (!FORMAT.equals(manifest.path("format").asText())
                || manifest.path("format_version").asInt() != FORMAT_VERSION) {
            throw new DataFormatException(manifestPath, "format " + manifest.path("format").asText() + " version "
                    + manifest.path("format_version").asInt() + ", expected " + FORMAT + " version "
                    + FORMAT_VERSION);
        }
        String indexPath = storage.resolve(directory, manifest.path("class_index").asText(ClassIndex.FILE_NAME));
        ClassIndex classes;
        try (InputStream in = storage.open(indexPath)) {
            classes = ClassIndex.read(indexPath, in);
        }
        return new PreparedDataset(directory, classes, manifest);
    }

    public List<String> splits() {
        List<String> names = new ArrayList<>();
        manifest.path("splits").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A split's shards in order; fails naming the split if the dataset has none of that name. */
    public List<Shard> shards(Storage storage, String split) {
        JsonNode s = manifest.path("splits").path(split);
        if (s.isMissingNode()) {
            throw new DataFormatException(directory, "has no split '" + split + "' (it has " + splits() + ")");
        }
        List<Shard> shards = new ArrayList<>();
        for (JsonNode shard : s.path("shards")) {
            shards.add(new Shard(storage.resolve(directory, shard.path("path").asText()),
                    shard.path("examples").asInt()));
        }
        return shards;
    }

    public long examples(String split) {
        return manifest.path("splits").path(split).path("examples").asLong();
    }
}
