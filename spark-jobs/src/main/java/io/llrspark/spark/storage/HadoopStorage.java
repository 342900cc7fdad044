package io.llrspark.spark.storage;

import io.llrspark.model.storage.Abandonable;
import io.llrspark.model.storage.LocalStorage;
import io.llrspark.model.storage.PublishOnClose;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.data.DataFormatException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.StreamCapabilities;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Storage} on any Hadoop file system: local paths, hdfs://, s3a:// (with hadoop-aws on the classpath). Uses
 * only create, open, exists and list, which object stores support directly; nothing relies on rename.
 */
public final class HadoopStorage implements Storage {
    private final Configuration conf;

    public HadoopStorage(Configuration conf) {
        this.conf = conf;
    }

    private FileSystem fs(Path p) throws IOException {
        return p.getFileSystem(conf);
    }

    @Override
    public OutputStream create(String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = fs(p);
        if (publishesWhole(fs)) {
            return new AbortOnAbandon(fs.create(p, true));
        }
        Path tmp = new Path(p.getParent(), Storage.temporaryName(p.getName()));
        return new PublishOnClose(fs.create(tmp, true), () -> {
            // Hadoop's rename does not replace: remove the old file first (readers may briefly see none).
            fs.delete(p, false);
            if (!fs.rename(tmp, p)) {
                throw new IOException("cannot publish " + p + " (rename from " + tmp + " failed)");
            }
        }, () -> fs.delete(tmp, false));
    }

    /**
     * An object store's upload, which closing would complete: an abandoned one is aborted instead, so that neither a
     * partial object appears nor an unfinished multipart upload keeps its parts (and their cost).
     */
    private static final class AbortOnAbandon extends FilterOutputStream implements Abandonable {
        private final FSDataOutputStream upload;

        AbortOnAbandon(FSDataOutputStream upload) {
            super(upload);
            this.upload = upload;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            upload.write(b, off, len);
        }

        @Override
        public void abandon() throws IOException {
            if (!upload.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
                throw new IOException("this store's uploads cannot be aborted: the upload is left unfinished");
            }
            upload.abort();
        }
    }

    /** Object stores make an object visible only once it is completely uploaded, and cannot rename cheaply. */
    private static boolean publishesWhole(FileSystem fs) {
        String scheme = fs.getScheme();
        return scheme.startsWith("s3") || scheme.equals("gs") || scheme.startsWith("abfs") || scheme.startsWith("wasb");
    }

    @Override
    public void delete(String path) throws IOException {
        Path p = new Path(path);
        fs(p).delete(p, false);
    }

    @Override
    public void deleteTree(String path) throws IOException {
        Path p = new Path(path);
        fs(p).delete(p, true);
    }

    /** Local paths, and HDFS: its rename never replaces an existing file, which makes it a create-if-absent. */
    @Override
    public boolean createsIfAbsentAtomically(String path) {
        try {
            return ATOMIC_CREATE.contains(fs(new Path(path)).getScheme());
        } catch (IOException e) {
            return false;
        }
    }

    private static final java.util.Set<String> ATOMIC_CREATE = java.util.Set.of("file", "hdfs");

    @Override
    public boolean createIfAbsent(String path, byte[] bytes) throws IOException {
        Path p = new Path(path);
        FileSystem fs = fs(p);
        switch (fs.getScheme()) {
            case "file" -> {
                return new LocalStorage().createIfAbsent(fs.makeQualified(p).toUri().getPath(), bytes);
            }
            case "hdfs" -> {
                Path tmp = new Path(p.getParent(), Storage.temporaryName(p.getName()));
                try (OutputStream out = fs.create(tmp, true)) {
                    out.write(bytes);
                }
                try {
                    return fs.rename(tmp, p);
                } finally {
                    fs.delete(tmp, false);
                }
            }
            default -> {
                return Storage.super.createIfAbsent(path, bytes);
            }
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path p = new Path(path);
        try {
            return new ChecksumChecked(path, fs(p).open(p));
        } catch (FileNotFoundException e) {
            FileNotFoundException missing = new FileNotFoundException(path + ": file not found");
            missing.initCause(e);
            throw missing;
        }
    }

    /**
     * A file that no longer matches the checksum Hadoop's local and HDFS file systems wrote beside it was damaged
     * after it was written: that is bad data in a named file (exit 2, a checkpoint set aside), not a failing store.
     */
    private static final class ChecksumChecked extends FilterInputStream {
        private final String path;

        ChecksumChecked(String path, InputStream in) {
            super(in);
            this.path = path;
        }

        private DataFormatException damaged(ChecksumException e) {
            return new DataFormatException(path, "does not match its checksum at byte " + e.getPos()
                    + ": damaged after it was written", e);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (ChecksumException e) {
                throw damaged(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (ChecksumException e) {
                throw damaged(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (ChecksumException e) {
                throw damaged(e);
            }
        }
    }

    @Override
    public boolean exists(String path) {
        Path p = new Path(path);
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Entry> everyEntry(String directory) throws IOException {
        Path p = new Path(directory);
        List<Entry> entries = new ArrayList<>();
        FileSystem fs = fs(p);
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(p);
        } catch (FileNotFoundException e) {
            return entries;
        }
        // listStatus of a file is that file; as a directory, a file has no entries (as locally).
        if (statuses.length == 1 && statuses[0].isFile() && statuses[0].getPath().equals(fs.makeQualified(p))) {
            return entries;
        }
        for (FileStatus status : statuses) {
            entries.add(new Entry(status.getPath().getName(), status.isDirectory(),
                    status.isDirectory() ? 0 : status.getLen()));
        }
        return entries;
    }
}
