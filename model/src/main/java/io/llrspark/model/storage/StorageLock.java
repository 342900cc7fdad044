package io.llrspark.model.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A claim on something in a store (a run's output, a checkpoint's report) as a small file holding its owner's token
 * ({@code <renewed> <pid@host> <id>}). Where the store creates a file only if absent atomically (local disks, HDFS),
 * a claim is that create; on object stores, which cannot (S3 through Hadoop 3.3), the owner writes its token, waits
 * {@code settle} and owns the claim only if its token is still the one stored: a racing writer overwrote it otherwise
 * and that one wins. The owner renews the token while it works; a claim is stale, and may be taken over, once it went
 * unrenewed for {@code expiry}, or at once when it names a process of this host that is gone (a killed run).
 */
public final class StorageLock implements AutoCloseable {

    /** How long a claim waits for racing writers, and how long an unrenewed claim stays valid. */
    public record Timing(Duration settle, Duration expiry) implements java.io.Serializable {
        /** How often an owner renews: often enough that a live owner's claim never looks stale. */
        Duration renewal() {
            return Duration.ofMillis(Math.max(100, expiry.toMillis() / 5));
        }
    }

    /** Who holds a claim, as its file says. */
    public record Holder(Instant renewed, String process, String id) {
        static Optional<Holder> parse(String text) {
            String[] parts = text.trim().split(" ");
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Holder(Instant.parse(parts[0]), parts[1], parts[2]));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }

        String token() {
            return renewed + " " + process + " " + id;
        }

        boolean stale(Duration expiry, Instant now) {
            return renewed.plus(expiry).isBefore(now) || goneFromThisHost();
        }

        /** Whether the holder is a process of this host that no longer runs (its pid may be reused: then it waits). */
        private boolean goneFromThisHost() {
            int at = process.indexOf('@');
            if (at <= 0 || !process.substring(at + 1).equals(THIS_HOST)) {
                return false;
            }
            try {
                return ProcessHandle.of(Long.parseLong(process.substring(0, at))).isEmpty();
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** For messages: the process and when it last renewed. */
        public String describe() {
            return process + " (renewed " + renewed + ")";
        }
    }

    /** The claim went to another owner while this one held it (it looked stale to them). */
    public static final class LostException extends IllegalStateException {
        LostException(String message) {
            super(message);
        }
    }

    private static final String THIS_PROCESS = ManagementFactory.getRuntimeMXBean().getName();
    private static final String THIS_HOST = THIS_PROCESS.substring(THIS_PROCESS.indexOf('@') + 1);

    private final Storage storage;
    private final String path;
    private final String id = UUID.randomUUID().toString();
    private final Timing timing;
    private ScheduledExecutorService renewing;
    private volatile RuntimeException renewalFailure;

    public StorageLock(Storage storage, String path, Timing timing) {
        this.storage = storage;
        this.path = path;
        this.timing = timing;
    }

    public String path() {
        return path;
    }

    /** Empty if the claim is now ours (renewed from then on until {@link #close}); else who holds it. */
    public Optional<Holder> tryAcquire() throws IOException, InterruptedException {
        Optional<Holder> holder = read();
        boolean takeOver = holder.isPresent();
        if (takeOver && !holder.get().stale(timing.expiry(), Instant.now())) {
            return holder;
        }
        Optional<Holder> now;
        if (!takeOver && storage.createsIfAbsentAtomically(path)) {
            now = storage.createIfAbsent(path, token().getBytes(StandardCharsets.UTF_8)) ? Optional.of(mine()) : read();
        } else {
            // Replacing a stale claim, or a store without create-if-absent: last writer wins, after the settle time.
            write();
            Thread.sleep(timing.settle().toMillis());
            now = read();
        }
        if (now.isPresent() && now.get().id().equals(id)) {
            startRenewing();
            return Optional.empty();
        }
        return Optional.of(now.orElse(new Holder(Instant.now(), "(released)", "-")));
    }

    /** Fails if the claim went to another owner or could not be renewed for longer than it stays valid. */
    public void check() {
        RuntimeException failure = renewalFailure;
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops renewing and removes the claim if it is still ours. */
    @Override
    public void close() throws IOException {
        if (renewing != null) {
            renewing.shutdownNow();
            renewing = null;
        }
        Optional<Holder> now = read();
        if (now.isPresent() && now.get().id().equals(id)) {
            storage.delete(path);
        }
    }

    private void startRenewing() {
        renewing = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lock-renewal " + path);
            t.setDaemon(true);
            return t;
        });
        long every = timing.renewal().toMillis();
        Instant[] lastRenewed = {Instant.now()};
        renewing.scheduleWithFixedDelay(() -> {
            try {
                Optional<Holder> now = read();
                if (now.isEmpty() || !now.get().id().equals(id)) {
                    renewalFailure = new LostException(path + ": this claim was taken over by "
                            + now.map(Holder::describe).orElse("nobody (the lock file is gone)")
                            + "; stopping so that two owners never write the same place");
                    renewing.shutdown();
                    return;
                }
                write();
                lastRenewed[0] = Instant.now();
            } catch (IOException | RuntimeException e) {
                // A store's hiccup: the claim holds until it expires, so only a lasting failure is one.
                if (lastRenewed[0].plus(timing.expiry()).isBefore(Instant.now())) {
                    renewalFailure = new LostException(path + ": could not renew this claim for " + timing.expiry()
                            + " (" + e.getMessage() + "); another owner may take it");
                }
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private Holder mine() {
        return new Holder(Instant.now(), THIS_PROCESS, id);
    }

    private String token() {
        return mine().token();
    }

    private void write() throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(token().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The current holder; empty when there is no claim file. A file that says nothing sensible (cut short by a crash)
     * is held by nobody; a store that cannot be read fails rather than being taken for an empty one.
     */
    private Optional<Holder> read() throws IOException {
        for (int attempt = 1; ; attempt++) {
            if (!storage.exists(path)) {
                return Optional.empty();
            }
            try (InputStream in = storage.open(path)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                Optional<Holder> holder = Holder.parse(text);
                return holder.isPresent() ? holder : Optional.of(new Holder(Instant.EPOCH, "(unreadable)", "-"));
            } catch (FileNotFoundException e) {
                // Released between the check and the read.
                return Optional.empty();
            } catch (IOException e) {
                // Racing claims replace this file by design, and S3 fails a read whose object was replaced after it
                // was looked up: read the new one. Only a failure that lasts is one.
                if (attempt == READ_ATTEMPTS) {
                    throw e;
                }
                sleepBeforeRereading();
            }
        }
    }

    private static final int READ_ATTEMPTS = 3;

    private static void sleepBeforeRereading() throws IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading a claim", e);
        }
    }
}
