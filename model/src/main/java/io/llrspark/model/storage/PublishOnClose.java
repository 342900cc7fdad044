package io.llrspark.model.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A stream to a temporary file that publishes it (renames it into place) when closed, once. */
public final class PublishOnClose extends FilterOutputStream {

    /** Makes the written temporary file visible under its final name. */
    public interface Publish {
        void run() throws IOException;
    }

    private final Publish publish;
    private boolean closed;

    public PublishOnClose(OutputStream temporary, Publish publish) {
        super(temporary);
        this.publish = publish;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        super.close();
        publish.run();
    }
}
