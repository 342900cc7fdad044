package io.llrspark.spark;

import com.typesafe.config.ConfigRenderOptions;
import io.llrspark.model.command.CommandRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What the cluster launchers (submit/llr-yarn, submit/llr-k8s) ask of the jar on the submitting machine before they
 * submit: is the command known and its configuration valid (exit 2 naming the key, as the driver would, but before
 * a cluster allocates anything), and the configuration as one self-contained file (includes, overrides and
 * reference.conf resolved), which is what travels to the driver. Prints that file's path.
 *
 * <p>{@code java -cp llr-spark-app.jar io.llrspark.spark.LaunchPlan DIR COMMAND [the command's arguments]}: the file
 * goes to DIR/&lt;content hash&gt;/&lt;the config file's name&gt;, readable by its owner only (a configuration may
 * hold credentials); the same configuration always lands on the same path and is never rewritten.
 */
public final class LaunchPlan {
    private static final String USAGE = """
            usage: java -cp llr-spark-app.jar io.llrspark.spark.LaunchPlan DIR COMMAND --config FILE [options]
              checks COMMAND and its configuration as the driver will, writes the resolved configuration under DIR
              and prints its path (what submit/llr-yarn and submit/llr-k8s ship to the driver)
            """;

    private LaunchPlan() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.print(USAGE);
            return 2;
        }
        Path dir = Path.of(args[0]);
        String[] commandArgs = Arrays.copyOfRange(args, 1, args.length);
        return CommandRunner.run(commandArgs, USAGE, Commands.NAMES, Commands.WITH_OWN_OPTIONS, out, err, (command, o) -> {
            Commands.Checked checked = Commands.check(command, o.config, o.overrides);
            String rendered = "# " + o.config.toAbsolutePath() + " for " + command + ", with its includes, --set "
                    + "overrides and the jar's reference.conf resolved (submit/lib.sh)\n"
                    + checked.merged().withOnlyPath("llr").root().render(ConfigRenderOptions.defaults()
                    .setOriginComments(false).setComments(false).setJson(false).setFormatted(true));
            out.println(write(dir, o.config.getFileName().toString(), rendered));
            return 0;
        });
    }

    private static Path write(Path dir, String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path target = dir.resolve(hash(bytes)).resolve(name);
        if (Files.exists(target)) {
            return target;
        }
        Files.createDirectories(target.getParent(), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Path partial = Files.createTempFile(target.getParent(), name, ".partial",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(partial, bytes);
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    private static String hash(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
