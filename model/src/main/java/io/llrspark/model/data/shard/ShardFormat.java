package io.llrspark.model.data.shard;

import java.nio.charset.StandardCharsets;

/**
 * The shard file format (docs/data.md), big-endian throughout:
 * <pre>
 * header   8 bytes "LLRSHARD", u32 version (1)
 * record   u8 1, i32 label, u16 name length, name (UTF-8), u32 data length, data, u32 CRC-32 of data
 * trailer  u8 0, u32 number of records
 * </pre>
 * No timestamps or random markers, so the same records give the same bytes; the trailer tells a complete shard from a
 * cut-off one.
 */
public final class ShardFormat {
    static final byte[] MAGIC = "LLRSHARD".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int RECORD = 1;
    static final int END = 0;
    /** Larger records are refused on both sides: a damaged length field must not allocate gigabytes. */
    public static final int MAX_RECORD_BYTES = 256 << 20;
    /** File names are stored with a 16-bit length. */
    static final int MAX_NAME_BYTES = 0xFFFF;

    private ShardFormat() {
    }
}
