package io.llrspark.model.data.shard;

import io.llrspark.model.data.DataFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardFormatTest {
    private static final List<ShardRecord> RECORDS = List.of(
            new ShardRecord(0, "n01440764/a.JPEG", new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3}),
            new ShardRecord(999, "n15075141/ünïcode name.JPEG", new byte[70_000]),
            new ShardRecord(7, "empty-name-is-fine", new byte[0]));

    private static byte[] write(List<ShardRecord> records) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ShardWriter writer = new ShardWriter(bytes);
        for (ShardRecord r : records) {
            writer.write(r);
        }
        ShardWriter.Summary summary = writer.finish();
        assertEquals(records.size(), summary.records());
        assertEquals(bytes.size(), summary.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())),
                summary.sha256());
        return bytes.toByteArray();
    }

    private static List<ShardRecord> read(byte[] shard) throws Exception {
        return ShardReader.readAll("test.shard", new ByteArrayInputStream(shard));
    }

    @Test
    void recordsRoundTripAndTheSameRecordsGiveTheSameBytes() throws Exception {
        byte[] shard = write(RECORDS);
        List<ShardRecord> back = read(shard);
        assertEquals(RECORDS.size(), back.size());
        for (int i = 0; i < RECORDS.size(); i++) {
            assertEquals(RECORDS.get(i).label(), back.get(i).label());
            assertEquals(RECORDS.get(i).name(), back.get(i).name());
            assertArrayEquals(RECORDS.get(i).bytes(), back.get(i).bytes());
        }
        assertArrayEquals(shard, write(RECORDS));
        assertEquals("LLRSHARD", new String(shard, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(0, read(write(List.of())).size());
    }

    @Test
    void damageIsDetectedAndNamed() throws Exception {
        byte[] shard = write(RECORDS);
        for (int cut : new int[]{4, 20, 40, shard.length - 3}) {
            DataFormatException e = assertThrows(DataFormatException.class, () -> read(Arrays.copyOf(shard, cut)));
            assertTrue(e.getMessage().startsWith("test.shard: "), e.getMessage());
        }
        byte[] flipped = shard.clone();
        flipped[200] ^= 1;
        assertTrue(assertThrows(DataFormatException.class, () -> read(flipped)).getMessage()
                .contains("record 1 (n15075141/ünïcode name.JPEG): CRC mismatch"));
        byte[] notShard = shard.clone();
        notShard[0] = 'X';
        assertTrue(assertThrows(DataFormatException.class, () -> read(notShard)).getMessage().contains("not a shard"));
        byte[] longer = Arrays.copyOf(shard, shard.length + 1);
        assertTrue(assertThrows(DataFormatException.class, () -> read(longer)).getMessage()
                .contains("data after the trailer"));
    }
}
