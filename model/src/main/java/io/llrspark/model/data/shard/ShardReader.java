package io.llrspark.model.data.shard;

import io.llrspark.model.data.DataFormatException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads a shard written by {@link ShardWriter}, record by record, checking the magic, version, every record's CRC and
 * the trailer's count: a damaged or cut-off shard fails naming the shard and the record, never yields a bad record
 * silently.
 */
public final class ShardReader implements AutoCloseable {
    private final String name;
    private final DataInputStream in;
    private int read;
    private boolean ended;

    /** @param name how to name the shard in error messages */
    public ShardReader(String name, InputStream source) throws IOException {
        this.name = name;
        this.in = new DataInputStream(new BufferedInputStream(source, 1 << 16));
        byte[] magic = new byte[ShardFormat.MAGIC.length];
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, ShardFormat.MAGIC)) {
                throw new DataFormatException(name, "not a shard (no LLRSHARD magic at the start)");
            }
            int version = in.readInt();
            if (version != ShardFormat.VERSION) {
                throw new DataFormatException(name, "shard format version " + version + ", this code reads version "
                        + ShardFormat.VERSION);
            }
        } catch (EOFException e) {
            throw new DataFormatException(name, "truncated inside the header", e);
        }
    }

    /** Reads a whole shard. */
    public static List<ShardRecord> readAll(String name, InputStream source) throws IOException {
        List<ShardRecord> records = new ArrayList<>();
        try (ShardReader reader = new ShardReader(name, source)) {
            for (ShardRecord r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    /** The next record, or null after the last (once the trailer has been checked). */
    public ShardRecord next() throws IOException {
        if (ended) {
            return null;
        }
        try {
            int tag = in.readUnsignedByte();
            if (tag == ShardFormat.END) {
                int count = in.readInt();
                if (count != read) {
                    throw new DataFormatException(name, "trailer counts " + count + " records, the shard holds " + read);
                }
                if (in.read() >= 0) {
                    throw new DataFormatException(name, "data after the trailer");
                }
                ended = true;
                return null;
            }
            if (tag != ShardFormat.RECORD) {
                throw new DataFormatException(name, "record " + read + ": unknown tag " + tag);
            }
            int label = in.readInt();
            byte[] fileName = new byte[in.readUnsignedShort()];
            in.readFully(fileName);
            int length = in.readInt();
            if (length < 0 || length > ShardFormat.MAX_RECORD_BYTES) {
                throw new DataFormatException(name, "record " + read + ": impossible length " + length);
            }
            byte[] data = new byte[length];
            in.readFully(data);
            CRC32 crc = new CRC32();
            crc.update(data);
            int expected = in.readInt();
            if ((int) crc.getValue() != expected) {
                throw new DataFormatException(name, "record " + read + " (" + new String(fileName, StandardCharsets.UTF_8)
                        + "): CRC mismatch, the shard is damaged");
            }
            read++;
            return new ShardRecord(label, new String(fileName, StandardCharsets.UTF_8), data);
        } catch (EOFException e) {
            throw new DataFormatException(name, "truncated after " + read + " records (no trailer)", e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
