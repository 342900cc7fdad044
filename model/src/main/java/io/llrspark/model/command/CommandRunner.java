package io.llrspark.model.command;

import io.llrspark.model.settings.ConfigError;
import io.llrspark.model.data.DataFormatException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The shape every entry point shares: usage and {@code --help}, option parsing, and the mapping of failures to exit
 * statuses (2: bad usage, configuration or data, said in one line; 1: failure while running).
 */
public final class CommandRunner {

    /** A subcommand's body; returns its exit status. */
    public interface Command {
        int run(String name, CommandLine options) throws IOException, InterruptedException;
    }

    private CommandRunner() {
    }

    /**
     * @param commands        the subcommands there are: any other name is a usage error, {@code --help} included
     * @param acceptingOthers commands whose unknown options go to {@link CommandLine#rest}
     */
    public static int run(String[] args, String usage, Collection<String> commands, Set<String> acceptingOthers,
                          PrintStream out, PrintStream err, Command command) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length == 0 ? err : out).print(usage);
            return args.length == 0 ? 2 : 0;
        }
        String name = args[0];
        try {
            if (!commands.contains(name)) {
                throw unknownCommand(name, commands);
            }
            CommandLine o = CommandLine.parse(name, List.of(args).subList(1, args.length), acceptingOthers.contains(name));
            if (o.help) {
                String own = commandUsage(usage, name);
                out.print(own == null ? usage : own);
                return 0;
            }
            return command.run(name, o);
        } catch (CommandLine.UsageError e) {
            err.println("error: " + e.getMessage());
            err.print(usage);
            return 2;
        } catch (ConfigError e) {
            err.println("config error: " + e.getMessage());
            return 2;
        } catch (DataFormatException e) {
            err.println("data error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("I/O error: " + e.getMessage());
            return 1;
        } catch (java.io.UncheckedIOException e) {
            err.println("I/O error: " + e.getMessage());
            return 1;
        } catch (IllegalStateException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return 1;
        } catch (Exception e) {
            // Bad data found by a task reaches the driver wrapped in Spark's job failure (a checked SparkException):
            // say it as the driver would have.
            DataFormatException data = causeOf(e, DataFormatException.class);
            if (data != null) {
                err.println("data error: " + data.getMessage());
                return 2;
            }
            ConfigError config = causeOf(e, ConfigError.class);
            if (config != null) {
                err.println("config error: " + config.getMessage());
                return 2;
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
        }
    }

    private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * The usage's first line and the lines of one command (its line at two spaces' indent and the deeper ones after
     * it), or null when the usage has no lines of its own for it.
     */
    static String commandUsage(String usage, String name) {
        List<String> lines = usage.lines().toList();
        StringBuilder own = new StringBuilder();
        boolean in = false;
        for (String line : lines.subList(1, lines.size())) {
            if (line.matches(" {2}\\S.*")) {
                in = line.strip().split("\\s+")[0].equals(name);
            } else if (!line.startsWith(" ")) {
                in = false;
            }
            if (in) {
                own.append(line).append('\n');
            }
        }
        return own.length() == 0 ? null : lines.get(0) + "\n" + own;
    }

    public static CommandLine.UsageError unknownCommand(String name, Collection<String> commands) {
        return new CommandLine.UsageError("unknown command '" + name + "': one of " + String.join(", ", commands));
    }
}
