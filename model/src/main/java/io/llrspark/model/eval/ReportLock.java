package io.llrspark.model.eval;

import io.llrspark.model.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A claim on evaluating one checkpoint, as a {@code _LOCK} file in its report directory, made only with what every
 * store offers (create, read, delete; no atomic create-if-absent on S3): a run writes its token, waits
 * {@code settle}, and owns the lock only if its token is still the one stored; a racing writer overwrote it otherwise
 * and that one wins. Locks older than {@code expiry} are taken to belong to a run that died and may be claimed.
 */
public final class ReportLock {
    public static final String NAME = "_LOCK";

    private final Storage storage;
    private final String path;
    private final String token;
    private final Duration settle;
    private final Duration expiry;

    public ReportLock(Storage storage, String reportDirectory, Duration settle, Duration expiry) {
        this.storage = storage;
        this.path = storage.resolve(reportDirectory, NAME);
        this.token = Instant.now() + " " + ManagementFactory.getRuntimeMXBean().getName() + " " + UUID.randomUUID();
        this.settle = settle;
        this.expiry = expiry;
    }

    /** Empty if the lock is now ours; else who holds it. */
    public Optional<String> tryAcquire() throws IOException, InterruptedException {
        Optional<String> holder = read();
        if (holder.isPresent() && !expired(holder.get())) {
            return holder;
        }
        try (OutputStream out = storage.create(path)) {
            out.write(token.getBytes(StandardCharsets.UTF_8));
        }
        Thread.sleep(settle.toMillis());
        Optional<String> now = read();
        return now.isPresent() && now.get().equals(token) ? Optional.empty() : Optional.of(now.orElse("(released)"));
    }

    /** Removes the lock if it is still ours. */
    public void release() throws IOException {
        Optional<String> now = read();
        if (now.isPresent() && now.get().equals(token)) {
            storage.delete(path);
        }
    }

    private Optional<String> read() throws IOException {
        if (!storage.exists(path)) {
            return Optional.empty();
        }
        try (InputStream in = storage.open(path)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Deleted between the check and the read: nobody holds it.
            return Optional.empty();
        }
    }

    private boolean expired(String holder) {
        try {
            Instant since = Instant.parse(holder.substring(0, holder.indexOf(' ')));
            return since.plus(expiry).isBefore(Instant.now());
        } catch (RuntimeException e) {
            return true;
        }
    }
}
