package io.llrspark.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** {@link Storage} on the local file system. */
public final class LocalStorage implements Storage {

    @Override
    public OutputStream create(String path) throws IOException {
        Path p = Path.of(path);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        return Files.newOutputStream(p);
    }

    @Override
    public InputStream open(String path) throws IOException {
        try {
            return Files.newInputStream(Path.of(path));
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": file not found", e);
        }
    }

    @Override
    public boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path d = Path.of(directory);
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(d)) {
            return names;
        }
        try (Stream<Path> s = Files.list(d)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
