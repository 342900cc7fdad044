package io.llrspark.model.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where runs keep their files: local directories here, Hadoop file systems (s3a://, hdfs://) in the Spark jobs. Only
 * operations an object store does well: whole-file create and read, existence, listing. No rename, no append.
 */
public interface Storage {

    /**
     * Creates (or replaces) a file, creating parent directories as needed. Readers see the old file or the whole new
     * one, never a part: the file appears when the stream is closed (temporary file and rename where the store can
     * rename atomically; object stores publish an object whole by themselves).
     */
    OutputStream create(String path) throws IOException;

    /** Deletes a file if it exists. */
    void delete(String path) throws IOException;

    /** Deletes a directory and everything under it, if it exists. */
    void deleteTree(String path) throws IOException;

    /**
     * Whether {@link #createIfAbsent} is atomic here: local disks and HDFS create a file only if none is there in one
     * step; object stores (S3 through Hadoop 3.3) cannot, and claims on them wait and read back instead.
     */
    default boolean createsIfAbsentAtomically(String path) {
        return false;
    }

    /**
     * Creates a file with {@code bytes} only if none exists, in one atomic step; readers see it whole or not at all.
     * False if one existed. Only where {@link #createsIfAbsentAtomically} says so.
     */
    default boolean createIfAbsent(String path, byte[] bytes) throws IOException {
        throw new UnsupportedOperationException(path + ": this store cannot create a file only if absent atomically");
    }

    /** @throws java.io.FileNotFoundException if there is no such file */
    InputStream open(String path) throws IOException;

    boolean exists(String path);

    /** Names (not paths) of the entries directly under a directory, without files still being written; empty if it
     * does not exist. */
    default List<String> list(String directory) throws IOException {
        return entries(directory).stream().map(Entry::name).toList();
    }

    /**
     * The files and directories directly under a directory, with file sizes, without files still being written; empty
     * if it does not exist. Walking a tree of inputs needs to tell the two apart, which {@link #list} cannot.
     */
    default List<Entry> entries(String directory) throws IOException {
        return everyEntry(directory).stream().filter(e -> !inProgress(e.name())).toList();
    }

    /**
     * {@link #entries} with the temporary files of writes in progress, or left by writers that were killed: what a
     * run that owns a directory removes before it starts writing there.
     */
    List<Entry> everyEntry(String directory) throws IOException;

    /**
     * An entry of a directory listing: a name (not a path), whether it is a directory, and a file's size in bytes (-1
     * when it cannot be determined).
     */
    record Entry(String name, boolean directory, long size) {
    }

    /**
     * Gives up a write begun with {@link #create} after a failure, publishing nothing (see {@link Abandonable}); a
     * problem doing so is added to {@code cause}, which the caller goes on to throw.
     */
    static void abandon(OutputStream out, Throwable cause) {
        if (out instanceof Abandonable a) {
            try {
                a.abandon();
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Whether a name is a file {@link #create} has not published yet. */
    static boolean inProgress(String name) {
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** The temporary sibling a file is written to before it is published. */
    static String temporaryName(String name) {
        return "." + name + "." + java.util.UUID.randomUUID() + ".tmp";
    }

    /** Joins a directory and a child name. */
    default String resolve(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }
}
