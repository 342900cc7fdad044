package io.llrspark.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llrspark.model.data.DataFormatException;
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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints under {@code <root>/checkpoints/}: one directory each with the network and its updater state (DL4J's
 * ModelSerializer format, {@code model.zip}), {@code state.json} (position, metrics, network kind) and the resolved
 * config ({@code config.conf}). The {@code _COMMITTED} marker is written last, holding each file's size and SHA-256:
 * a reader never sees a half-written checkpoint as committed (object stores cannot rename atomically), and a file
 * changed or damaged after the commit is found when the checkpoint is loaded. A committed checkpoint is never
 * rewritten; one found corrupt on resume is set aside ({@code _CORRUPT}, its marker removed) for the run to redo.
 */
public final class CheckpointStore {
    public static final String MARKER = "_COMMITTED";
    /** Left in a checkpoint set aside as corrupt: why, and when. */
    public static final String CORRUPT = "_CORRUPT";
    private static final List<String> FILES = List.of("model.zip", "state.json", "config.conf");
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
        if (storage.exists(storage.resolve(dir, MARKER))) {
            throw new IOException(dir + ": already committed; a committed checkpoint is never rewritten");
        }
        storage.delete(storage.resolve(dir, CORRUPT));
        ObjectNode digests = JSON.createObjectNode();
        try (DigestingStream out = new DigestingStream(storage.create(storage.resolve(dir, "model.zip")))) {
            ModelSerializer.writeModel(net.model(), out, true);
            out.flush();
            digests.set("model.zip", out.summary());
        }
        ObjectNode state = JSON.createObjectNode();
        state.put("network", net instanceof ClassifierGraph ? "ComputationGraph" : "MultiLayerNetwork");
        state.put("epoch", position.epoch());
        state.put("iteration", position.iteration());
        state.put("batch_in_epoch", position.batchInEpoch());
        state.set("metrics", JSON.valueToTree(metrics));
        digests.set("state.json", write(storage.resolve(dir, "state.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state)));
        digests.set("config.conf", write(storage.resolve(dir, "config.conf"), config.getBytes(StandardCharsets.UTF_8)));
        ObjectNode marker = JSON.createObjectNode();
        marker.set("files", digests);
        write(storage.resolve(dir, MARKER), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(marker));
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

    /**
     * Reads a committed checkpoint once: its state, its network (model.zip, kept as bytes too) and its config, each
     * checked against the sizes and digests its marker committed.
     *
     * @throws CorruptCheckpointException naming the file, if one does not match or the network cannot be restored
     */
    @SuppressWarnings("unchecked")
    public Loaded load(String dir) throws IOException {
        if (!storage.exists(storage.resolve(dir, MARKER))) {
            throw new IOException(dir + ": not a committed checkpoint (no " + MARKER + " marker)");
        }
        JsonNode committed = readMarker(dir);
        Map<String, byte[]> files = new java.util.HashMap<>();
        for (String name : FILES) {
            String path = storage.resolve(dir, name);
            byte[] bytes;
            try (InputStream in = storage.open(path)) {
                bytes = in.readAllBytes();
            } catch (java.io.FileNotFoundException e) {
                throw new CorruptCheckpointException(dir, path, "missing", e);
            } catch (DataFormatException e) {
                throw new CorruptCheckpointException(dir, path, "damaged (" + e.getMessage() + ")", e);
            }
            verify(dir, path, bytes, committed.path(name));
            files.put(name, bytes);
        }
        ObjectNode state;
        try {
            state = (ObjectNode) JSON.readTree(files.get("state.json"));
        } catch (IOException | ClassCastException e) {
            throw new CorruptCheckpointException(dir, storage.resolve(dir, "state.json"), "not a JSON object", e);
        }
        Blob blob = new Blob(dir, files.get("model.zip"), isGraph(state));
        Classifier network;
        try {
            network = blob.restore();
        } catch (IOException | RuntimeException e) {
            throw new CorruptCheckpointException(dir, storage.resolve(dir, "model.zip"), "cannot be read as a network ("
                    + e.getMessage() + ")", e);
        }
        String config = new String(files.get("config.conf"), StandardCharsets.UTF_8);
        TrainingPosition position = new TrainingPosition(state.path("epoch").asInt(), state.path("iteration").asLong(),
                state.path("batch_in_epoch").asInt());
        return new Loaded(dir, network, position, config, JSON.convertValue(state.path("metrics"), Map.class), blob);
    }

    /**
     * The newest committed checkpoint that loads, for a resume: a corrupt one is set aside with a warning (its marker
     * replaced by {@code _CORRUPT} saying why), so the run redoes it from the one before instead of failing.
     */
    public Optional<Loaded> newestLoadable(PrintStream log) throws IOException {
        List<String> all = committed();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(load(all.get(i)));
            } catch (CorruptCheckpointException e) {
                String previous = i > 0 ? all.get(i - 1) : "none: starting from scratch";
                log.printf("warning: %s; set aside (%s), resuming from the previous committed checkpoint (%s)%n",
                        e.getMessage(), CORRUPT, previous);
                setAside(all.get(i), e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void setAside(String dir, String why) throws IOException {
        write(storage.resolve(dir, CORRUPT), (java.time.Instant.now() + " " + why + "\n")
                .getBytes(StandardCharsets.UTF_8));
        storage.delete(storage.resolve(dir, MARKER));
    }

    /** The marker's record of each file; empty for checkpoints committed before markers held digests. */
    private JsonNode readMarker(String dir) throws IOException {
        String path = storage.resolve(dir, MARKER);
        byte[] bytes;
        try (InputStream in = storage.open(path)) {
            bytes = in.readAllBytes();
        }
        if (bytes.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(bytes).path("files");
        } catch (IOException e) {
            throw new CorruptCheckpointException(dir, path, "its commit marker is not JSON", e);
        }
    }

    private static void verify(String dir, String path, byte[] bytes, JsonNode committed) {
        if (committed.isMissingNode()) {
            return;
        }
        long size = committed.path("bytes").asLong(-1);
        if (size != bytes.length) {
            throw new CorruptCheckpointException(dir, path, bytes.length + " bytes, " + size + " committed", null);
        }
        String digest = sha256(bytes);
        if (!digest.equals(committed.path("sha256").asText())) {
            throw new CorruptCheckpointException(dir, path, "SHA-256 " + digest + ", " + committed.path("sha256")
                    .asText() + " committed", null);
        }
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

    private ObjectNode write(String path, byte[] bytes) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(bytes);
        }
        return summary(bytes.length, sha256(bytes));
    }

    private static ObjectNode summary(long bytes, String sha256) {
        ObjectNode n = JSON.createObjectNode();
        n.put("bytes", bytes);
        n.put("sha256", sha256);
        return n;
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** A stream that counts and digests what passes through it, for the one file too large to hold twice. */
    private static final class DigestingStream extends java.io.FilterOutputStream {
        private final MessageDigest digest = digest();
        private long count;

        DigestingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        ObjectNode summary() {
            return CheckpointStore.summary(count, HexFormat.of().formatHex(digest.digest()));
        }
    }
}
