package io.llrspark.model.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublishOnCloseTest {

    /** A device that fills up after {@code room} bytes, as a full disk does. */
    private static OutputStream filling(Path file, int room) throws IOException {
        return new FilterOutputStream(Files.newOutputStream(file)) {
            private int written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > room) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("state.json");
        Files.writeString(target, "old");
        Path tmp = dir.resolve(Storage.temporaryName("state.json"));
        IOException e = assertThrows(IOException.class, () -> {
            try (OutputStream out = new PublishOnClose(filling(tmp, 10),
                    () -> Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING), () -> Files.deleteIfExists(tmp))) {
                out.write("0123456789".getBytes());
                out.write("more than fits".getBytes());
            }
        });
        assertEquals("No space left on device", e.getMessage());
        assertEquals("old", Files.readString(target), "a partial file must not replace the old one");
        assertFalse(Files.exists(tmp), "the partial temporary file is removed");

        try (OutputStream out = new PublishOnClose(filling(tmp, 10),
                () -> Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING), () -> Files.deleteIfExists(tmp))) {
            out.write("new".getBytes());
        }
        assertEquals("new", Files.readString(target));
    }
}
