package io.llrspark.model.data.prepared;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.llrspark.model.data.DataFormatException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Class names (WordNet ids for ImageNet) to labels: the names sorted, label i the i-th. Sorting makes the labels a
 * function of the set of classes alone, the convention of ImageNet's tools (label 0 is n01440764, the tench).
 * Stored as {@code class-index.json}, an object from name to label in label order.
 */
public final class ClassIndex implements Serializable {
    public static final String FILE_NAME = "class-index.json";
    private final List<String> names;
    private final Map<String, Integer> labels = new HashMap<>();

    public ClassIndex(List<String> names) {
        this.names = List.copyOf(new TreeSet<>(names));
        if (this.names.size() != names.size()) {
            throw new IllegalArgumentException("class names repeat: " + names);
        }
        for (int i = 0; i < this.names.size(); i++) {
            labels.put(this.names.get(i), i);
        }
    }

    public int size() {
        return names.size();
    }

    public List<String> names() {
        return names;
    }

    public String name(int label) {
        return names.get(label);
    }

    /** The label of a class, or -1 if it is not one. */
    public int label(String name) {
        return labels.getOrDefault(name, -1);
    }

    public byte[] toJson() throws IOException {
        Map<String, Integer> m = new LinkedHashMap<>();
        names.forEach(n -> m.put(n, labels.get(n)));
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(m);
    }

    /** Reads a class-index.json, checking that its labels are 0..K-1 in sorted order of the names. */
    public static ClassIndex read(String name, InputStream in) throws IOException {
        Map<String, Integer> m = new ObjectMapper().readValue(in, new TypeReference<LinkedHashMap<String, Integer>>() {
        });
        ClassIndex index = new ClassIndex(List.copyOf(m.keySet()));
        m.forEach((wnid, label) -> {
            if (index.label(wnid) != label) {
                throw new DataFormatException(name, "class " + wnid + " has label " + label + ", expected "
                        + index.label(wnid) + " (labels number the sorted class names from 0)");
            }
        });
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassIndex c && c.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.size() + " classes " + (names.size() <= 5 ? names : names.subList(0, 5) + "...");
    }
}
