package io.llrspark.model.data.prepare;

import io.llrspark.model.data.prepared.ClassIndex;
import io.llrspark.model.storage.Storage;
import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.tasks.StorageFactory;
import io.llrspark.model.tasks.TaskFunction;
import io.llrspark.model.tasks.TaskRunner;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files of an ImageNet-layout tree: {@code train/<wnid>/<file>}, and {@code val/<wnid>/<file>} or
 * {@code val/<file>} with a labels file. Every file in a class directory is a candidate (what is not an image is
 * skipped and counted later); entries that are not class directories, and subdirectories of class directories, are
 * not part of the layout and are ignored. Class directories are listed in parallel (on S3 each listing is a round
 * trip of its own), files come back sorted by name.
 */
public final class ImageTree {
    private ImageTree() {
    }

    /** The classes: the directories under {@code <input>/train}. */
    public static ClassIndex classes(Storage storage, PrepareConfig config) throws IOException {
        String train = config.inputDirectory(PrepareConfig.TRAIN);
        List<String> dirs = directories(storage, train);
        if (dirs.isEmpty()) {
            throw new ConfigError(PrepareConfig.PREFIX + ".input: " + train + " does not exist or holds no class "
                    + "directories (expected " + config.input() + "/train/<wnid>/<image files>)");
        }
        return new ClassIndex(dirs);
    }

    /** A split's files, sorted by name. */
    public static List<SourceFile> files(String split, PrepareConfig config, ClassIndex classes, Storage storage,
                                         StorageFactory storages, TaskRunner runner) throws IOException {
        String dir = config.inputDirectory(split);
        if (split.equals(PrepareConfig.VAL) && config.valLayout().equals(PrepareConfig.FLAT)) {
            return flat(dir, config.valLabels(), classes, storage);
        }
        List<ClassDirectory> tasks = new ArrayList<>();
        for (String d : directories(storage, dir)) {
            if (classes.label(d) < 0) {
                throw new DataFormatException(dir + "/" + d, "is not a class: " + config.inputDirectory(
                        PrepareConfig.TRAIN) + " has no directory of that name");
            }
            tasks.add(new ClassDirectory(dir + "/" + d, d, classes.label(d)));
        }
        List<SourceFile> files = new ArrayList<>();
        runner.run("prepare-data: list " + tasks.size() + " class directories of " + split, tasks, t -> 0,
                new ListClassDirectory(storages)).forEach(files::addAll);
        files.sort(Comparator.comparing(SourceFile::name));
        return files;
    }

    private static List<SourceFile> flat(String dir, String labelsPath, ClassIndex classes, Storage storage)
            throws IOException {
        ValLabels labels;
        try (InputStream in = storage.open(labelsPath)) {
            labels = ValLabels.read(labelsPath, in, classes);
        }
        List<SourceFile> files = new ArrayList<>();
        for (Storage.Entry e : storage.entries(dir)) {
            if (!e.directory() && !(dir + "/" + e.name()).equals(labelsPath)) {
                String wnid = labels.wnid(e.name());
                files.add(new SourceFile(e.name(), wnid == null ? -1 : classes.label(wnid), e.size()));
            }
        }
        files.sort(Comparator.comparing(SourceFile::name));
        return files;
    }

    private static List<String> directories(Storage storage, String dir) throws IOException {
        return storage.entries(dir).stream().filter(Storage.Entry::directory).map(Storage.Entry::name).sorted()
                .toList();
    }

    /** A class directory to list: its path, its name (the wnid) and its label. */
    record ClassDirectory(String path, String name, int label) implements Serializable {
    }

    /** Lists one class directory's files. */
    static final class ListClassDirectory implements TaskFunction<ClassDirectory, ArrayList<SourceFile>> {
        private final StorageFactory storages;

        ListClassDirectory(StorageFactory storages) {
            this.storages = storages;
        }

        @Override
        public ArrayList<SourceFile> apply(ClassDirectory d) throws IOException {
            ArrayList<SourceFile> files = new ArrayList<>();
            for (Storage.Entry e : storages.open().entries(d.path())) {
                if (!e.directory()) {
                    files.add(new SourceFile(d.name() + "/" + e.name(), d.label(), e.size()));
                }
            }
            return files;
        }
    }
}
