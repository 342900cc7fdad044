package io.llrspark.model.storage;

import java.io.IOException;
import java.util.Collection;

/**
 * The temporary files that writes killed part-way leave behind (a store that publishes whole objects has none).
 * Only the holder of a folder's claim may remove them: then none of them is a write still in progress.
 */
public final class Leftovers {
    private Leftovers() {
    }

    /** How many files were removed and the space they held. */
    public record Removed(int files, long bytes) {
        public String describe(String where) {
            return String.format("Removed %d temporary file%s (%,d bytes) that killed writes left under %s", files,
                    files == 1 ? "" : "s", bytes, where);
        }
    }

    /** Removes the leftovers directly in each folder (not below). */
    public static Removed remove(Storage storage, Collection<String> folders) throws IOException {
        int files = 0;
        long bytes = 0;
        for (String folder : folders) {
            for (Storage.Entry e : storage.everyEntry(folder)) {
                if (!e.directory() && Storage.inProgress(e.name())) {
                    storage.delete(storage.resolve(folder, e.name()));
                    files++;
                    bytes += Math.max(e.size(), 0);
                }
            }
        }
        return new Removed(files, bytes);
    }
}
