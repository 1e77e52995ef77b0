package dev.sluice.spring.boot;

import dev.sluice.SluiceDataSource;
import dev.sluice.console.SluiceConsole;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The live web console over every Sluice pool of the application, when
 * {@code spring.datasource.sluice.console.enabled=true} and {@code sluice-console} is on the class
 * path. It needs {@code spring.datasource.sluice.console.token} or {@code .password-hash}: an
 * application has no terminal to print a random token to, and a token in the log would open the
 * console to everyone who reads the log.
 */
@AutoConfiguration(after = SluiceDataSourceAutoConfiguration.class)
@ConditionalOnClass(SluiceConsole.class)
@ConditionalOnBean(SluiceDataSource.class)
@ConditionalOnProperty(name = SluiceProperties.PREFIX + ".console.enabled", havingValue = "true")
@EnableConfigurationProperties(SluiceProperties.class)
public final class SluiceConsoleAutoConfiguration {
    private static final Log LOG = LogFactory.getLog(SluiceConsoleAutoConfiguration.class);
    private static final String CONSOLE = SluiceProperties.PREFIX + ".console.";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SluiceConsole sluiceConsole(ObjectProvider<SluiceDataSource> pools, SluiceProperties knobs) {
        SluiceProperties.Console c = knobs.getConsole();
        if (c.getToken() == null && c.getPasswordHash() == null) {
            throw new InvalidSluiceConfigurationException(CONSOLE + "token", new IllegalArgumentException(
                    "the console needs " + CONSOLE + "token (at least " + SluiceConsole.MIN_TOKEN_LENGTH
                    + " characters, from a secret) or " + CONSOLE + "password-hash; it never makes up credentials"
                    + " it would have to log"));
        }
        SluiceConsole.Builder b = SluiceConsole.builder();
        set(CONSOLE + "port", () -> b.port(c.getPort()));
        set(CONSOLE + "bind-address", () -> b.bindAddress(c.getBindAddress()));
        if (c.getToken() != null) {
            set(CONSOLE + "token", () -> b.token(c.getToken()));
        }
        if (c.getPasswordHash() != null) {
            set(CONSOLE + "password-hash", () -> b.passwordHash(c.getPasswordHash()));
        }
        b.actions(c.isActions());
        List<SluiceDataSource> all = pools.orderedStream().toList();
        all.forEach(b::register);
        SluiceConsole console = b.start();
        LOG.info("Sluice console at " + console.url() + " for " + all.size() + " pool(s)"
                + (c.isActions() ? ", actions enabled" : ", read-only"));
        return console;
    }

    private static void set(String property, Runnable setter) {
        try {
            setter.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidSluiceConfigurationException(property, e);
        }
    }
}
