package io.llrspark.model.data.prepare;

import io.llrspark.model.data.image.UndecodableImageException;

import java.util.Locale;

/** Why a file of the input tree did not become an example; the manifest counts files per reason. */
public enum SkipReason {
    /** The file is empty. */
    ZERO_BYTE,
    /** Reading the file failed (permissions, a vanished object, a storage error after retries). */
    UNREADABLE,
    /** No image format recognizes the bytes (text, an archive, a stray system file). */
    NOT_AN_IMAGE,
    /** An image format recognizes the bytes but they do not decode cleanly (truncated, damaged). */
    CORRUPT,
    /** Flat validation layout: the labels file has no line for the file. */
    UNLABELED;

    /** The name in the manifest and in messages, e.g. {@code zero_byte}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    static SkipReason of(UndecodableImageException.Kind kind) {
        return kind == UndecodableImageException.Kind.NOT_AN_IMAGE ? NOT_AN_IMAGE : CORRUPT;
    }
}
