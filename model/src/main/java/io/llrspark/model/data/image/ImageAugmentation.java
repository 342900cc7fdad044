package io.llrspark.model.data.image;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Decoded images to the network's input: size × size, channel-first floats in [0, 1] (normalization belongs inside
 * the network, so attacks work in pixel space).
 * <ul>
 * <li>{@link #training}: random-resized-crop as torchvision's {@code RandomResizedCrop} (a window of 8–100 % of the
 * area with aspect ratio 3/4–4/3, ten tries, else the central crop of the nearest allowed ratio), then a horizontal
 * flip with probability ½.</li>
 * <li>{@link #evaluation}: the shorter side resized to size / 0.875 (256 for 224), then the central size × size crop,
 * done as one resampling of the matching source window.</li>
 * </ul>
 * Deterministic: the window and the flip are a function of the image's dimensions and a per-example seed alone
 * ({@link #exampleSeed}), so an example is augmented the same way whichever executor reads it.
 */
public final class ImageAugmentation implements Serializable {
    public static final int DEFAULT_SIZE = 224;
    private static final int ATTEMPTS = 10;
    private final int size;
    private final boolean random;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;
    private final double cropFraction;

    private ImageAugmentation(int size, boolean random, double minScale, double maxScale, double minRatio,
                              double maxRatio, double cropFraction) {
        if (size <= 0) {
            throw new IllegalArgumentException("output size must be positive, got " + size);
        }
        if (!(0 < minScale && minScale <= maxScale && maxScale <= 1) || !(0 < minRatio && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("need 0 < min-scale <= max-scale <= 1 and 0 < min-ratio <= max-ratio, "
                    + "got scale [" + minScale + ", " + maxScale + "], ratio [" + minRatio + ", " + maxRatio + "]");
        }
        if (!(cropFraction > 0 && cropFraction <= 1)) {
            throw new IllegalArgumentException("crop fraction must lie in (0, 1], got " + cropFraction);
        }
        this.size = size;
        this.random = random;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
        this.cropFraction = cropFraction;
    }

    /** Random-resized-crop (area 8–100 %, aspect ratio 3/4–4/3) and horizontal flip. */
    public static ImageAugmentation training(int size) {
        return training(size, 0.08, 1.0, 3.0 / 4, 4.0 / 3);
    }

    public static ImageAugmentation training(int size, double minScale, double maxScale, double minRatio,
                                             double maxRatio) {
        return new ImageAugmentation(size, true, minScale, maxScale, minRatio, maxRatio, 1);
    }

    /** Resize the shorter side to size / 0.875, then crop the centre. */
    public static ImageAugmentation evaluation(int size) {
        return evaluation(size, 0.875);
    }

    /** @param cropFraction the crop's side as a fraction of the resized shorter side (1: no border cut off) */
    public static ImageAugmentation evaluation(int size, double cropFraction) {
        return new ImageAugmentation(size, false, 1, 1, 1, 1, cropFraction);
    }

    public int size() {
        return size;
    }

    /** Floats per output image: 3 · size · size. */
    public int outputLength() {
        return 3 * size * size;
    }

    /**
     * A seed for one example from the run's seed, the epoch and the example's index in the dataset (a 64-bit mix, so
     * neighbouring examples and epochs get unrelated crops).
     */
    public static long exampleSeed(long runSeed, long epoch, long example) {
        return mix(mix(mix(runSeed) ^ epoch) ^ example);
    }

    /** The window and flip for an image of the given dimensions (evaluation ignores the seed). */
    public CropWindow window(int width, int height, long seed) {
        if (!random) {
            double side = Math.min(width, height) * cropFraction;
            return new CropWindow((width - side) / 2, (height - side) / 2, side, side, false);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double area = (double) width * height;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double target = area * (minScale + (maxScale - minScale) * rnd.nextDouble());
            double ratio = Math.exp(Math.log(minRatio) + (Math.log(maxRatio) - Math.log(minRatio)) * rnd.nextDouble());
            long w = Math.round(Math.sqrt(target * ratio));
            long h = Math.round(Math.sqrt(target / ratio));
            if (0 < w && w <= width && 0 < h && h <= height) {
                int y = rnd.nextInt((int) (height - h) + 1);
                int x = rnd.nextInt((int) (width - w) + 1);
                return new CropWindow(x, y, w, h, rnd.nextBoolean());
            }
        }
        // No try fitted (an extreme aspect ratio): the central crop of the nearest allowed ratio.
        double imageRatio = (double) width / height;
        long w = width;
        long h = height;
        if (imageRatio < minRatio) {
            h = Math.round(width / minRatio);
        } else if (imageRatio > maxRatio) {
            w = Math.round(height * maxRatio);
        }
        return new CropWindow((width - w) / 2, (height - h) / 2, w, h, rnd.nextBoolean());
    }

    /** The image augmented with the given seed: {@link #outputLength} floats, channel-first, in [0, 1]. */
    public float[] apply(DecodedImage image, long seed) {
        float[] out = new float[outputLength()];
        apply(image, seed, out, 0);
        return out;
    }

    /** Writes the augmented image at {@code out[offset]}, e.g. into a minibatch's buffer. */
    public void apply(DecodedImage image, long seed, float[] out, int offset) {
        Resampler.resample(image, window(image.width(), image.height(), seed), size, out, offset);
    }

    /** Resamples a given window (tests, or a caller with its own crop policy). */
    public void apply(DecodedImage image, CropWindow window, float[] out, int offset) {
        Resampler.resample(image, window, size, out, offset);
    }

    private static long mix(long z) {
        // SplitMix64's finalizer.
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
