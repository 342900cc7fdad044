package io.llrspark.model.checkpoint;

import io.llrspark.model.net.layers.CleanStatsBatchNormalization;
import io.llrspark.model.net.layers.NativeConvolution;
import io.llrspark.model.net.layers.PixelNormalization;
import io.llrspark.model.net.layers.StableSoftPlus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A model zip's configuration names our layer classes (Jackson's {@code @class}), so moving a class breaks every model
 * saved before the move. Models saved while the layers lived in {@code net} name them there; this renames them in the
 * configuration before DL4J reads it, and leaves every other entry's bytes as they are.
 */
final class FormerLayerNames {
    private static final String CONFIGURATION = "configuration.json";
    private static final Map<String, String> MOVED = Map.of(
            "io.llrspark.model.net.NativeConvolution", NativeConvolution.class.getName(),
            "io.llrspark.model.net.CleanStatsBatchNormalization", CleanStatsBatchNormalization.class.getName(),
            "io.llrspark.model.net.PixelNormalization", PixelNormalization.class.getName(),
            "io.llrspark.model.net.StableSoftPlus", StableSoftPlus.class.getName());

    private FormerLayerNames() {
    }

    /** The zip as it is when its configuration names no moved class, else a copy with the names of today. */
    static byte[] upgraded(byte[] modelZip) throws IOException {
        String configuration = configuration(modelZip);
        String renamed = renamed(configuration);
        if (renamed.equals(configuration)) {
            return modelZip;
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream(modelZip.length);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip));
             ZipOutputStream out = new ZipOutputStream(copy)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals(CONFIGURATION)) {
                    out.write(renamed.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return copy.toByteArray();
    }

    /** Each former name as a whole JSON string value, so a name that merely starts with it is left alone. */
    static String renamed(String configuration) {
        String s = configuration;
        for (Map.Entry<String, String> e : MOVED.entrySet()) {
            s = s.replace('"' + e.getKey() + '"', '"' + e.getValue() + '"');
        }
        return s;
    }

    private static String configuration(byte[] modelZip) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals(CONFIGURATION)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException("Not a DL4J model zip: no " + CONFIGURATION + " entry");
    }
}
