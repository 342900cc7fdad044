package io.llrspark.model.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StorageLockTest {
    @TempDir
    Path dir;

    private final StorageLock.Timing quick = new StorageLock.Timing(Duration.ZERO, Duration.ofSeconds(1));

    /** The owner renews its claim, so it never lapses while it lives, and learns when another took it over. */
    @Test
    void aClaimIsRenewedAndItsLossIsReported() throws Exception {
        Path path = dir.resolve("_LOCK");
        StorageLock lock = new StorageLock(new LocalStorage(), path.toString(), quick);
        assertEquals(Optional.empty(), lock.tryAcquire());
        String first = Files.readString(path);
        Thread.sleep(1500);
        lock.check();
        assertTrue(!Files.readString(path).equals(first), "renewed");
        assertTrue(new StorageLock(new LocalStorage(), path.toString(), quick).tryAcquire().isPresent(),
                "still held after its expiry: it was renewed");

        Files.writeString(path, Instant.now() + " 1@elsewhere thief");
        Thread.sleep(600);
        StorageLock.LostException e = assertThrows(StorageLock.LostException.class, lock::check);
        assertTrue(e.getMessage().contains("taken over by 1@elsewhere"), e.getMessage());
        lock.close();
        assertTrue(Files.readString(path).contains("thief"), "closing never removes another owner's claim");
    }

    /** Only a missing file is "nobody holds it": a file that cannot be read is an error, not a free claim. */
    @Test
    void anUnreadableClaimIsAnErrorNotAFreeLock() throws IOException {
        Path path = dir.resolve("_LOCK");
        // There, but not readable as a file (permissions would not stop root).
        Files.createDirectories(path.resolve("inside"));
        assertThrows(IOException.class, () -> new StorageLock(new LocalStorage(), path.toString(), quick).tryAcquire());
    }
}
