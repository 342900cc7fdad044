package io.llrspark.model.data.shard;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole shards held in memory, least recently used first out once their bytes pass a limit: a minibatch takes its
 * examples from a few shards and the next minibatches from the same ones, so each shard is read from storage about
 * once per epoch. One cache per JVM, shared by its concurrent tasks; a shard two tasks want is read once.
 */
public final class ShardCache {
    private static final ShardCache JVM = new ShardCache();

    private final LinkedHashMap<String, List<ShardRecord>> shards = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, Object> reading = new ConcurrentHashMap<>();
    private long bytes;
    private long reads;

    /** Reads one shard (whole, checked) from wherever it lives. */
    public interface Reader {
        List<ShardRecord> read(String path) throws IOException;
    }

    public static ShardCache jvm() {
        return JVM;
    }

    /**
     * The shard's records, read now unless held. The newest shard stays even when it alone passes the limit, so a
     * limit below one shard costs reads, never correctness.
     */
    public List<ShardRecord> get(String path, long limitBytes, Reader reader) throws IOException {
        List<ShardRecord> held = held(path);
        if (held != null) {
            return held;
        }
        synchronized (reading.computeIfAbsent(path, p -> new Object())) {
            held = held(path);
            if (held != null) {
                return held;
            }
            List<ShardRecord> records = List.copyOf(reader.read(path));
            synchronized (this) {
                reads++;
                shards.put(path, records);
                bytes += size(records);
                Iterator<Map.Entry<String, List<ShardRecord>>> oldest = shards.entrySet().iterator();
                while (bytes > limitBytes && shards.size() > 1) {
                    Map.Entry<String, List<ShardRecord>> e = oldest.next();
                    bytes -= size(e.getValue());
                    oldest.remove();
                }
            }
            return records;
        }
    }

    /** Shards read from storage since the JVM started. */
    public synchronized long reads() {
        return reads;
    }

    public synchronized long bytes() {
        return bytes;
    }

    private synchronized List<ShardRecord> held(String path) {
        return shards.get(path);
    }

    private static long size(List<ShardRecord> records) {
        long n = 0;
        for (ShardRecord r : records) {
            n += r.bytes().length + 64;
        }
        return n;
    }
}
