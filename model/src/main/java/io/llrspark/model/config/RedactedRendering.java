package io.llrspark.model.config;

import io.llrspark.model.settings.UriCredentials;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.util.Map;

/**
 * The resolved configuration as checkpoints and reports keep it, with no secret in it. Unknown keys are refused at
 * start-up and so are URIs with user-info ({@link UriCredentials}); masking them here as well keeps a secret out of
 * the stored configuration should one ever get past that check.
 */
final class RedactedRendering {
    static final String MASK = UriCredentials.MASK;

    private RedactedRendering() {
    }

    static String render(Config config) {
        Config redacted = config;
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            if (e.getValue().valueType() == ConfigValueType.STRING) {
                String value = (String) e.getValue().unwrapped();
                String masked = UriCredentials.mask(value);
                if (!masked.equals(value)) {
                    redacted = redacted.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(masked));
                }
            }
        }
        return redacted.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }
}
