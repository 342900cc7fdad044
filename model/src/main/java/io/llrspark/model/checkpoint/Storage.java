package io.llrspark.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where runs keep their files: local directories here, Hadoop file systems (s3a://, hdfs://) in the Spark jobs. Only
 * operations an object store does well: whole-file create and read, existence, listing. No rename, no append.
 */
public interface Storage {

    /** Creates (or replaces) a file, creating parent directories as needed. */
    OutputStream create(String path) throws IOException;

    InputStream open(String path) throws IOException;

    boolean exists(String path);

    /** Names (not paths) of the entries directly under a directory; empty if it does not exist. */
    List<String> list(String directory) throws IOException;

    /** Joins a directory and a child name. */
    default String resolve(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }
}
