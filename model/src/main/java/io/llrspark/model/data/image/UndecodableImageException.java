package io.llrspark.model.data.image;

/** Bytes that do not decode to an image: either no image format recognizes them, or a format does but they are damaged. */
public final class UndecodableImageException extends Exception {

    public enum Kind {
        /** No image reader recognizes the bytes (text, an archive, an empty file). */
        NOT_AN_IMAGE,
        /** A reader recognizes the format, but decoding fails or reports damage (a truncated or corrupted file). */
        CORRUPT
    }

    private final Kind kind;

    public UndecodableImageException(Kind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public UndecodableImageException(Kind kind, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
