package io.llrspark.model.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@link Storage} on the local file system. */
public final class LocalStorage implements Storage {

    @Override
    public OutputStream create(String path) throws IOException {
        Path p = Path.of(path).toAbsolutePath();
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(Storage.temporaryName(p.getFileName().toString()));
        return new PublishOnClose(Files.newOutputStream(tmp),
                () -> Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING),
                () -> Files.deleteIfExists(tmp));
    }

    @Override
    public void delete(String path) throws IOException {
        Files.deleteIfExists(Path.of(path));
    }

    @Override
    public void deleteTree(String path) throws IOException {
        Path root = Path.of(path);
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean createsIfAbsentAtomically(String path) {
        return true;
    }

    /** Written to a temporary file first and linked into place: the link fails if the name is taken. */
    @Override
    public boolean createIfAbsent(String path, byte[] bytes) throws IOException {
        Path p = Path.of(path).toAbsolutePath();
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(Storage.temporaryName(p.getFileName().toString()));
        Files.write(tmp, bytes);
        try {
            Files.createLink(p, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public InputStream open(String path) throws IOException {
        try {
            return Files.newInputStream(Path.of(path));
        } catch (NoSuchFileException e) {
            FileNotFoundException missing = new FileNotFoundException(path + ": file not found");
            missing.initCause(e);
            throw missing;
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public List<Entry> everyEntry(String directory) throws IOException {
        Path d = Path.of(directory);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return entries;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                boolean dir = Files.isDirectory(p);
                entries.add(new Entry(p.getFileName().toString(), dir, dir ? 0 : size(p)));
            }
        }
        return entries;
    }

    /** -1 for an entry that cannot be examined (a dangling link): listed, so that reading it fails visibly. */
    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }
}
