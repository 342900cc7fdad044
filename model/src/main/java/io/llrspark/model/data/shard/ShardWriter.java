package io.llrspark.model.data.shard;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * Writes records in the {@link ShardFormat}. {@link #finish} writes the trailer and flushes, but leaves the stream
 * open: with {@code Storage.create} streams, closing is what publishes the file, which the caller does only once the
 * whole shard has been written.
 */
public final class ShardWriter {
    private final DataOutputStream out;
    private final MessageDigest sha256;
    private int records;
    private long bytes = ShardFormat.MAGIC.length + 4;
    private boolean finished;

    /** What was written: record count, size and SHA-256 of the whole file (for the manifest). */
    public record Summary(int records, long bytes, String sha256) {
    }

    public ShardWriter(OutputStream target) throws IOException {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        out = new DataOutputStream(new DigestOutputStream(new BufferedOutputStream(target, 1 << 16), sha256));
        out.write(ShardFormat.MAGIC);
        out.writeInt(ShardFormat.VERSION);
    }

    public void write(ShardRecord record) throws IOException {
        if (finished) {
            throw new IllegalStateException("shard already finished");
        }
        byte[] name = record.name().getBytes(StandardCharsets.UTF_8);
        if (name.length > ShardFormat.MAX_NAME_BYTES) {
            throw new IllegalArgumentException("file name longer than " + ShardFormat.MAX_NAME_BYTES + " bytes: "
                    + record.name());
        }
        if (record.bytes().length > ShardFormat.MAX_RECORD_BYTES) {
            throw new IllegalArgumentException(record.name() + ": " + record.bytes().length + " bytes, more than a "
                    + "record may hold (" + ShardFormat.MAX_RECORD_BYTES + ")");
        }
        if (record.label() < 0) {
            throw new IllegalArgumentException(record.name() + ": negative label " + record.label());
        }
        CRC32 crc = new CRC32();
        crc.update(record.bytes());
        out.writeByte(ShardFormat.RECORD);
        out.writeInt(record.label());
        out.writeShort(name.length);
        out.write(name);
        out.writeInt(record.bytes().length);
        out.write(record.bytes());
        out.writeInt((int) crc.getValue());
        records++;
        bytes += 1 + 4 + 2 + name.length + 4 + record.bytes().length + 4;
    }

    /** Writes the trailer and flushes; the stream stays open for the caller to close (publish). */
    public Summary finish() throws IOException {
        if (!finished) {
            out.writeByte(ShardFormat.END);
            out.writeInt(records);
            out.flush();
            finished = true;
            bytes += 1 + 4;
        }
        return new Summary(records, bytes, HexFormat.of().formatHex(sha256.digest()));
    }
}
