package io.llrspark.model.data.prepare;

import io.llrspark.model.storage.Storage;
import io.llrspark.model.data.image.ImageDecoder;
import io.llrspark.model.data.image.UndecodableImageException;
import io.llrspark.model.data.shard.ShardFormat;
import io.llrspark.model.data.shard.ShardRecord;
import io.llrspark.model.data.shard.ShardWriter;
import io.llrspark.model.tasks.StorageFactory;
import io.llrspark.model.tasks.TaskFunction;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one shard: reads each of its files, keeps those that decode (their bytes as they are) and records why the
 * others were skipped. The shard appears whole or not at all: its stream is closed, which publishes it, only after
 * the trailer is written; a failure abandons the write (no temporary file, no unfinished multipart upload is left),
 * and the task's retry rewrites the shard.
 */
public final class ShardBuilder implements TaskFunction<ShardTask, ShardOutcome> {
    private final StorageFactory storages;
    private final PrepareConfig config;
    private final int classes;

    public ShardBuilder(StorageFactory storages, PrepareConfig config, int classes) {
        this.storages = storages;
        this.config = config;
        this.classes = classes;
    }

    @Override
    public ShardOutcome apply(ShardTask task) throws IOException {
        Storage storage = storages.open();
        int[] perLabel = new int[classes];
        List<ShardOutcome.Skipped> skipped = new ArrayList<>();
        String input = config.inputDirectory(task.split());
        OutputStream out = storage.create(storage.resolve(config.output(), task.path()));
        ShardWriter.Summary written;
        try {
            ShardWriter writer = new ShardWriter(out);
            for (SourceFile f : task.files()) {
                try {
                    writer.write(new ShardRecord(f.label(), f.name(), check(storage, input + "/" + f.name(), f)));
                    perLabel[f.label()]++;
                } catch (Skip s) {
                    skipped.add(new ShardOutcome.Skipped(f.name(), s.reason, s.getMessage()));
                }
            }
            written = writer.finish();
        } catch (IOException | RuntimeException e) {
            Storage.abandon(out, e);
            throw e;
        }
        out.close();
        return new ShardOutcome(task.split(), task.index(), task.path(), task.files().size(), written.records(),
                written.bytes(), written.sha256(), perLabel, skipped);
    }

    /** The file's bytes if it is a labelled, readable, decodable image. */
    private static byte[] check(Storage storage, String path, SourceFile f) throws Skip {
        if (f.label() < 0) {
            throw new Skip(SkipReason.UNLABELED, "the labels file has no line for it");
        }
        if (f.size() == 0) {
            throw new Skip(SkipReason.ZERO_BYTE, "empty file");
        }
        if (f.size() > ShardFormat.MAX_RECORD_BYTES) {
            throw new Skip(SkipReason.UNREADABLE, f.size() + " bytes, more than a shard record holds ("
                    + ShardFormat.MAX_RECORD_BYTES + ")");
        }
        byte[] bytes;
        try (InputStream in = storage.open(path)) {
            bytes = in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            throw new Skip(SkipReason.UNREADABLE, String.valueOf(e.getMessage()));
        }
        if (bytes.length == 0) {
            throw new Skip(SkipReason.ZERO_BYTE, "empty file");
        }
        try {
            ImageDecoder.decode(bytes);
        } catch (UndecodableImageException e) {
            throw new Skip(SkipReason.of(e.kind()), e.getMessage());
        }
        return bytes;
    }

    /** Control flow for a file that does not become an example. */
    private static final class Skip extends Exception {
        private final SkipReason reason;

        Skip(SkipReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
