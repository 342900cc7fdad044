package io.llrspark.model.data.shard;

/**
 * One example of a shard: its label, the file it came from (relative to the split's directory, for tracing) and the
 * file's bytes as they were (a compressed image; decoding happens where it is used).
 */
public record ShardRecord(int label, String name, byte[] bytes) {
}
