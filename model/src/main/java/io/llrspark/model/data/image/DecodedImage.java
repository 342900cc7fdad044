package io.llrspark.model.data.image;

/**
 * An image as 8-bit RGB, interleaved row by row: bytes 3·(y·width + x) … +2 are the red, green and blue of pixel
 * (x, y). Whatever the file held (grayscale, CMYK, a palette, 16 bits), decoding ends here.
 */
public record DecodedImage(int width, int height, byte[] rgb) {
    public DecodedImage {
        if (width <= 0 || height <= 0 || rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + 3L * width * height
                    + " bytes, got " + rgb.length);
        }
    }

    /** Channel c (0 red, 1 green, 2 blue) of pixel (x, y), 0–255. */
    public int sample(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xFF;
    }
}
