package io.llrspark.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llrspark.model.net.Classifier;
import io.llrspark.model.net.dl4j.ClassifierGraph;
import io.llrspark.model.net.dl4j.ClassifierNetwork;
import io.llrspark.model.storage.Storage;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints under {@code <root>/checkpoints/}: one directory each with the network and its updater state (DL4J's
 * ModelSerializer format, {@code model.zip}), {@code state.json} (position, metrics, network kind) and the resolved
 * config ({@code config.conf}). The {@code _COMMITTED} marker is written last: on object stores, where rename is not
 * atomic, a reader never sees a half-written checkpoint as committed.
 */
public final class CheckpointStore {
    public static final String MARKER = "_COMMITTED";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Storage storage;
    private final String root;

    public CheckpointStore(Storage storage, String root) {
        this.storage = storage;
        this.root = storage.resolve(root, "checkpoints");
    }

    /** A loaded checkpoint; {@code blob} is the stored network as read, for jobs that ship it to executors. */
    public record Loaded(String path, Classifier network, TrainingPosition position, String config,
                         Map<String, Object> metrics, Blob blob) {
    }

    public String write(Classifier net, TrainingPosition position, String config, Map<String, Object> metrics)
            throws IOException {
        String dir = storage.resolve(root, String.format("ckpt-e%04d-i%09d", position.epoch(), position.iteration()));
        try (OutputStream out = storage.create(storage.resolve(dir, "model.zip"))) {
            ModelSerializer.writeModel(net.model(), out, true);
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("network", net instanceof ClassifierGraph ? "ComputationGraph" : "MultiLayerNetwork");
        state.put("epoch", position.epoch());
        state.put("iteration", position.iteration());
        state.put("batch_in_epoch", position.batchInEpoch());
        state.set("metrics", JSON.valueToTree(metrics));
        write(storage.resolve(dir, "state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
        write(storage.resolve(dir, "config.conf"), config.getBytes(StandardCharsets.UTF_8));
        write(storage.resolve(dir, MARKER), new byte[0]);
        return dir;
    }

    /** Committed checkpoints, oldest first. */
    public List<String> committed() throws IOException {
        return storage.list(root).stream()
                .filter(name -> name.startsWith("ckpt-"))
                .filter(name -> storage.exists(storage.resolve(storage.resolve(root, name), MARKER)))
                .sorted(Comparator.naturalOrder())
                .map(name -> storage.resolve(root, name))
                .toList();
    }

    public Optional<String> latest() throws IOException {
        List<String> all = committed();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Reads a committed checkpoint once: its state, its network (model.zip, kept as bytes too) and its config. */
    @SuppressWarnings("unchecked")
    public Loaded load(String dir) throws IOException {
        if (!storage.exists(storage.resolve(dir, MARKER))) {
            throw new IOException(dir + ": not a committed checkpoint (no " + MARKER + " marker)");
        }
        ObjectNode state;
        try (InputStream in = storage.open(storage.resolve(dir, "state.json"))) {
            state = (ObjectNode) JSON.readTree(in);
        }
        Blob blob;
        try (InputStream in = storage.open(storage.resolve(dir, "model.zip"))) {
            blob = new Blob(dir, in.readAllBytes(), isGraph(state));
        }
        String config;
        try (InputStream in = storage.open(storage.resolve(dir, "config.conf"))) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TrainingPosition position = new TrainingPosition(state.path("epoch").asInt(), state.path("iteration").asLong(),
                state.path("batch_in_epoch").asInt());
        return new Loaded(dir, blob.restore(), position, config, JSON.convertValue(state.path("metrics"), Map.class),
                blob);
    }

    /** A checkpoint's network as stored (model.zip) and its kind: what a job broadcasts to its executors. */
    public record Blob(String path, byte[] modelZip, boolean graph) implements java.io.Serializable {
        public Classifier restore() throws IOException {
            return CheckpointStore.restore(new java.io.ByteArrayInputStream(FormerLayerNames.upgraded(modelZip)), graph);
        }
    }

    private static boolean isGraph(ObjectNode state) {
        return "ComputationGraph".equals(state.path("network").asText());
    }

    static Classifier restore(InputStream modelZip, boolean graph) throws IOException {
        if (graph) {
            ComputationGraph g = ModelSerializer.restoreComputationGraph(modelZip, true);
            return ClassifierGraph.of(g);
        }
        MultiLayerNetwork m = ModelSerializer.restoreMultiLayerNetwork(modelZip, true);
        return ClassifierNetwork.of(m);
    }

    private void write(String path, byte[] bytes) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(bytes);
        }
    }
}
