package io.llrspark.model.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The resolved configuration as checkpoints and reports keep it, with no secret in it. Unknown keys are refused at
 * start-up, so the one place a secret can hide in {@code llr.*} is a URI's user-info ({@code s3a://KEY:SECRET@bucket/},
 * which Hadoop still accepts): it is masked. Credentials belong to s3a's provider chain, never to this file.
 */
final class RedactedRendering {
    /** Up to the last '@': AWS secrets may hold '/' unescaped, so the user-info cannot be assumed to end at one. */
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)\\S*@");
    static final String MASK = "<redacted>";

    private RedactedRendering() {
    }

    static String render(Config config) {
        Config redacted = config;
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (e.getValue().valueType() == ConfigValueType.STRING) {
                String value = (String) e.getValue().unwrapped();
                String masked = USER_INFO.matcher(value).replaceAll("$1" + MASK + "@");
                if (!masked.equals(value)) {
                    redacted = redacted.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(masked));
                }
            }
        }
        return redacted.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }
}
