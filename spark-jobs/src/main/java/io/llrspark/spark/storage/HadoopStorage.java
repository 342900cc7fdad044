package io.llrspark.spark.storage;

import io.llrspark.model.checkpoint.Storage;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
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
        return fs(p).create(p, true);
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path p = new Path(path);
        try {
            return fs(p).open(p);
        } catch (FileNotFoundException e) {
            throw new IOException(path + ": file not found", e);
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
    public List<String> list(String directory) throws IOException {
        Path p = new Path(directory);
        List<String> names = new ArrayList<>();
        FileSystem fs = fs(p);
        if (!fs.exists(p)) {
            return names;
        }
        for (FileStatus status : fs.listStatus(p)) {
            names.add(status.getPath().getName());
        }
        return names;
    }
}
