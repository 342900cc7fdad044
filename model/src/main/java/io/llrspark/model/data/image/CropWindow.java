package io.llrspark.model.data.image;

import java.io.Serializable;

/**
 * Where an output image comes from: a window of the source (in source pixels, fractional where a resize-then-crop
 * makes it so) resampled to the output size, mirrored left to right if {@code flip}.
 */
public record CropWindow(double x, double y, double width, double height, boolean flip) implements Serializable {
}
