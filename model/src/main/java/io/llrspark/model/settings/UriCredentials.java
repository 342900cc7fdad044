package io.llrspark.model.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials written into a URI ({@code s3a://KEY:SECRET@bucket/...}): Hadoop accepts them and then prints the whole
 * URI in its warnings, so they are refused wherever a URI enters (configuration values, command-line arguments),
 * with the secret masked in the message. Credentials belong to s3a's provider chain.
 */
public final class UriCredentials {
    /** Up to the last '@': AWS secrets may hold '/' unescaped, so the user-info cannot be assumed to end at one. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)\\S*@");
    public static final String MASK = "<redacted>";
    private static final String WHERE_INSTEAD = "give credentials to s3a's providers instead (the environment's "
            + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, an instance or pod role, or spark.hadoop.fs.s3a.access.key "
            + "and secret.key through --conf)";

    private UriCredentials() {
    }

    /** {@code text} with the user-info of every URI in it replaced by {@value #MASK}. */
    public static String mask(String text) {
        return USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "@");
    }

    /** Whether {@code text} holds a URI with user-info (local {@code file:} URIs excepted: '@' is a file name's). */
    public static boolean present(String text) {
        Matcher m = USER_INFO.matcher(text);
        while (m.find()) {
            if (!m.group(1).equalsIgnoreCase("file://")) {
                return true;
            }
        }
        return false;
    }

    /** Stops, naming {@code where} and the masked value, when {@code value} carries credentials. */
    public static void reject(String where, String value) {
        if (present(value)) {
            throw new ConfigError(where + ": a URI with credentials in it (" + mask(value) + ") is not accepted, since "
                    + "Hadoop prints URIs in its messages; " + WHERE_INSTEAD);
        }
    }
}
