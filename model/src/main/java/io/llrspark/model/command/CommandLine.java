package io.llrspark.model.command;

import io.llrspark.model.settings.UriCredentials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every subcommand shares ({@code --config FILE}, {@code --set key=value}, {@code --resume}, {@code --overwrite},
 * {@code --checkpoint URI}, {@code --help}), for the local CLI and the Spark jobs alike.
 */
public final class CommandLine {
    public Path config;
    public final List<String> overrides = new ArrayList<>();
    public boolean resume;
    public boolean overwrite;
    public boolean help;
    public String checkpoint;
    /** Arguments the shared options do not cover, in order (only when the command accepts them). */
    public final List<String> rest = new ArrayList<>();

    /** Bad command-line usage: exit status 2 with the usage text. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }

    /** @param acceptsOthers whether unknown arguments go to {@link #rest} rather than failing */
    public static CommandLine parse(String command, List<String> args, boolean acceptsOthers) {
        CommandLine o = new CommandLine();
        for (int i = 0; i < args.size(); i++) {
            String option = i > 0 && args.get(i - 1).startsWith("--") ? args.get(i - 1) : "argument " + (i + 1);
            String value = args.get(i);
            if (option.equals("--set") && value.indexOf('=') > 0) {
                option = "--set " + value.substring(0, value.indexOf('=')).trim();
            }
            UriCredentials.reject(option, value);
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--help", "-h" -> o.help = true;
                case "--config" -> o.config = Path.of(value(args, ++i, a));
                case "--set" -> o.overrides.add(value(args, ++i, a));
                case "--resume" -> o.resume = true;
                case "--overwrite" -> o.overwrite = true;
                case "--checkpoint" -> o.checkpoint = value(args, ++i, a);
                default -> {
                    if (acceptsOthers) {
                        o.rest.add(a);
                    } else {
                        throw new UsageError("unknown option '" + a + "' for " + command);
                    }
                }
            }
        }
        if (o.resume && o.overwrite) {
            throw new UsageError("--resume and --overwrite exclude each other: continue the run under llr.output, or "
                    + "delete it and start anew");
        }
        return o;
    }

    public CommandLine withCheckpoint(String dir) {
        this.checkpoint = dir;
        return this;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new UsageError(option + " needs a value");
        }
        return args.get(i);
    }
}
