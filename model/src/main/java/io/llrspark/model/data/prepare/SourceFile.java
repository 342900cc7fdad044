package io.llrspark.model.data.prepare;

import java.io.Serializable;

/**
 * A file of the input tree as the listing found it.
 *
 * @param name  its path under the split's directory ({@code n01440764/n01440764_10026.JPEG}), kept in the shard;
 *              the split's directory is not repeated in every one of a million files
 * @param label its class's label, or -1 when the flat validation layout's labels file does not name it
 * @param size  its size in bytes as listed
 */
public record SourceFile(String name, int label, long size) implements Serializable {
}
