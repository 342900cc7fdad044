package io.llrspark.model.train;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.storage.Leftovers;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.storage.StorageLock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A training run's claim on its output, held from start to end: the output is probed for writing before any work,
 * claimed with a {@link StorageLock} so that no second run writes there meanwhile, and checked to hold no other run
 * unless the run resumes it or was told to overwrite it. Files that are not a run's are left alone either way.
 */
public final class RunOutput implements AutoCloseable {
    public static final String LOCK_NAME = "_RUN_LOCK";
    /** What a run writes under its output: what makes an output hold a run, and all {@code --overwrite} deletes. */
    static final Set<String> RUN_ENTRIES = Set.of("checkpoints", "metrics.jsonl", "reports");

    private final StorageLock lock;

    private RunOutput(StorageLock lock) {
        this.lock = lock;
    }

    /** Probes, claims and (for {@link RunStart#OVERWRITE}) clears {@code output}; fails saying why and what to do. */
    public static RunOutput claim(Storage storage, String output, RunStart start, StorageLock.Timing timing,
                                  PrintStream log) throws IOException {
        probe(storage, output);
        StorageLock lock = new StorageLock(storage, storage.resolve(output, LOCK_NAME), timing);
        Optional<StorageLock.Holder> holder;
        try {
            holder = lock.tryAcquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while claiming " + output, e);
        }
        if (holder.isPresent()) {
            throw new ConfigError("llr.output " + output + " is in use by another run: " + holder.get().describe()
                    + ". If that run is dead, its claim lapses " + timing.expiry().toSeconds() + " s after its last "
                    + "renewal, or delete " + lock.path());
        }
        try {
            // Only a run's own entries count: a log the user tees into the output is neither refused nor deleted.
            List<String> held = storage.list(output).stream().filter(RUN_ENTRIES::contains).sorted().toList();
            if (start == RunStart.NEW && !held.isEmpty()) {
                throw new ConfigError("llr.output " + output + " already holds a run (" + String.join(", ", held)
                        + "): --resume continues it, --overwrite deletes it first, or choose another llr.output");
            }
            if (start == RunStart.OVERWRITE && !held.isEmpty()) {
                for (String name : held) {
                    storage.deleteTree(storage.resolve(output, name));
                }
                log.println("Overwrite: deleted the run under " + output + " (" + String.join(", ", held) + ")");
            }
            removeLeftovers(storage, output, log);
            return new RunOutput(lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Fails if the claim was lost: the run must stop before it writes anything more. */
    public void check() {
        lock.check();
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }

    /**
     * Removes the temporary files that writes killed part-way left in the run's own folders (the output, its
     * checkpoints and each checkpoint's folder): only the run that holds the claim writes there, so none of them is
     * a write in progress. Stores that publish whole objects have none.
     */
    static void removeLeftovers(Storage storage, String output, PrintStream log) throws IOException {
        String checkpoints = storage.resolve(output, "checkpoints");
        List<String> folders = new java.util.ArrayList<>(List.of(output, checkpoints));
        for (Storage.Entry e : storage.entries(checkpoints)) {
            if (e.directory()) {
                folders.add(storage.resolve(checkpoints, e.name()));
            }
        }
        Leftovers.Removed removed = Leftovers.remove(storage, folders);
        if (removed.files() > 0) {
            log.println(removed.describe(output));
        }
    }

    private static final String PROBE_PREFIX = "_PROBE-";

    /**
     * Writes, reads back and deletes a small file under the output: a denied write, a parent that is a file or a
     * full disk shows now, not after the first steps' work.
     */
    public static void probe(Storage storage, String output) {
        String probe = storage.resolve(output, PROBE_PREFIX + UUID.randomUUID());
        byte[] bytes = "llr-spark output probe".getBytes(StandardCharsets.UTF_8);
        try {
            try (OutputStream out = storage.create(probe)) {
                out.write(bytes);
            }
            try (InputStream in = storage.open(probe)) {
                if (!java.util.Arrays.equals(bytes, in.readAllBytes())) {
                    throw new IOException("a file written there reads back differently");
                }
            }
            storage.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new ConfigError("llr.output " + output + ": cannot write there (" + e.getMessage() + ")", e);
        }
    }
}
