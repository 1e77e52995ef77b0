package dev.sluice.spring.boot;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidSluiceConfigurationException} at start-up: which property, where it was
 * set (file and line when Boot knows), and Sluice's reason with the allowed range.
 */
final class InvalidSluiceConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSluiceConfigurationException> {
    private final Environment environment;

    /** Boot passes the application's environment, to tell where the bad value was set. */
    InvalidSluiceConfigurationFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSluiceConfigurationException cause) {
        String property = cause.getPropertyName();
        StringBuilder description = new StringBuilder("The Sluice connection pool could not be configured.\n\n");
        if (property != null) {
            description.append("    Property: ").append(property).append('\n');
            ConfigurationProperty set = find(property);
            if (set != null && set.getOrigin() != null && !property.endsWith(".password")) {
                description.append("    Origin: ").append(set.getOrigin()).append('\n');
            }
        }
        description.append("    Reason: ").append(cause.getMessage());
        String action = property != null
                ? "Change " + property + " to a value in the range the reason gives (the README's knob table lists each"
                        + " knob's default and range), or remove it to use Sluice's default."
                : "Change the spring.datasource.sluice.* properties named in the reason so that they agree.";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    private ConfigurationProperty find(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty p = source.getConfigurationProperty(name);
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
