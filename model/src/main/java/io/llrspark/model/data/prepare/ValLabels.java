package io.llrspark.model.data.prepare;

import io.llrspark.model.data.DataFormatException;
import io.llrspark.model.data.prepared.ClassIndex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The labels file of a flat validation directory: lines {@code <file name> <wnid>}, separated by spaces, tabs or a
 * comma; further fields are ignored, so Kaggle's {@code LOC_val_solution.csv} (wnid first in its second column) works
 * as it is. Blank lines and lines starting with # are skipped, and so is a first line whose second field is not a
 * class (a header). File names match with or without their extension.
 */
public final class ValLabels {
    private final Map<String, String> wnids = new HashMap<>();

    private ValLabels() {
    }

    /** @param source how to name the file in error messages */
    public static ValLabels read(String source, InputStream in, ClassIndex classes) throws IOException {
        ValLabels labels = new ValLabels();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean first = true;
        int lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("[\\s,]+");
            boolean header = first;
            first = false;
            if (fields.length < 2) {
                throw new DataFormatException(source, "line " + lineNumber + ": expected \"<file name> <wnid>\", got \""
                        + trimmed + "\"");
            }
            if (classes.label(fields[1]) < 0) {
                if (header) {
                    continue;
                }
                throw new DataFormatException(source, "line " + lineNumber + ": '" + fields[1] + "' is not a class "
                        + "(a directory of the training split)");
            }
            String previous = labels.wnids.put(fields[0], fields[1]);
            if (previous != null && !previous.equals(fields[1])) {
                throw new DataFormatException(source, "line " + lineNumber + ": " + fields[0] + " is labelled both "
                        + previous + " and " + fields[1]);
            }
        }
        return labels;
    }

    /** The class of a file, or null if the file has no line. */
    public String wnid(String fileName) {
        String wnid = wnids.get(fileName);
        int dot = fileName.lastIndexOf('.');
        return wnid != null || dot <= 0 ? wnid : wnids.get(fileName.substring(0, dot));
    }

    public int size() {
        return wnids.size();
    }
}
