package io.llrspark.model.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream to a temporary file that publishes it (renames it into place) when closed, once. A write or flush that
 * failed (a full disk, a lost connection) publishes nothing: the temporary file is removed instead, so neither a
 * partial file replaces the old one nor its leftovers hold the space.
 */
public final class PublishOnClose extends FilterOutputStream implements Abandonable {

    /** Makes the written temporary file visible under its final name, or removes it. */
    public interface Action {
        void run() throws IOException;
    }

    private final Action publish;
    private final Action discard;
    private boolean closed;
    private boolean failed;

    public PublishOnClose(OutputStream temporary, Action publish, Action discard) {
        super(temporary);
        this.publish = publish;
        this.discard = discard;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Closes without publishing: the temporary file is removed. */
    @Override
    public void abandon() throws IOException {
        failed = true;
        close();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            super.close();
        } catch (IOException | RuntimeException e) {
            failed = true;
            discardQuietly(e);
            throw e;
        }
        if (failed) {
            discardQuietly(null);
        } else {
            publish.run();
        }
    }

    private void discardQuietly(Exception cause) {
        try {
            discard.run();
        } catch (IOException | RuntimeException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }
}
