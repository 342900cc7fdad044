package io.llrspark.model.data;

import java.io.Serializable;

/** What a training loop needs to know of a dataset without holding it: example count and image geometry. */
public record DatasetShape(int size, int channels, int height, int width, int classes) implements Serializable {
}
