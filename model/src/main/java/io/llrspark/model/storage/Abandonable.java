package io.llrspark.model.storage;

import java.io.IOException;

/**
 * A write from {@link Storage#create} that can be given up: nothing is published and what the write held (a
 * temporary file, an object store's unfinished multipart upload) is released. Closing instead would publish a
 * partial file where the store makes objects visible on close.
 */
public interface Abandonable {
    void abandon() throws IOException;
}
