package io.llrspark.model.command;

import io.llrspark.model.settings.ConfigError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    /** A URI argument with credentials stops the command, naming the option, before anything reads the URI. */
    @Test
    void credentialsInAUriArgumentAreRefusedWithoutRepeatingThem() {
        ConfigError e = assertThrows(ConfigError.class, () -> CommandLine.parse("evaluate",
                List.of("--checkpoint", "s3a://AKIAEXAMPLE:s3cr3t@bucket/runs/a/checkpoints/c"), false));
        assertTrue(e.getMessage().startsWith("--checkpoint: "), e.getMessage());
        assertTrue(e.getMessage().contains("s3a://<redacted>@bucket/runs/a"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t") || e.getMessage().contains("AKIAEXAMPLE"), e.getMessage());

        ConfigError other = assertThrows(ConfigError.class, () -> CommandLine.parse("evaluate-new",
                List.of("--checkpoints", "hdfs://user:pw@nn/runs/a"), true));
        assertTrue(other.getMessage().startsWith("--checkpoints: "), other.getMessage());

        ConfigError set = assertThrows(ConfigError.class, () -> CommandLine.parse("train",
                List.of("--set", "llr.output=\"s3a://AKIAEXAMPLE:s3cr3t@bucket/runs/a\""), false));
        assertTrue(set.getMessage().startsWith("--set llr.output: "), set.getMessage());
        assertFalse(set.getMessage().contains("s3cr3t"), set.getMessage());

        CommandLine fine = CommandLine.parse("evaluate", List.of("--checkpoint", "s3a://bucket/runs/a"), false);
        assertEquals("s3a://bucket/runs/a", fine.checkpoint);
    }
}
