package dev.sluice.spring.boot;

import dev.sluice.CredentialsProvider;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Makes Sluice the application's pool. Runs before Boot's {@link DataSourceAutoConfiguration}, so
 * with no {@code DataSource} bean of the application's own and {@code spring.datasource.type}
 * unset (or {@code dev.sluice.SluiceDataSource}), the {@code dataSource} bean is a
 * {@link SluiceDataSource}; Boot's pool configurations then find a DataSource and back off. Any
 * other {@code spring.datasource.type} leaves the choice to Boot. Where Boot's
 * {@code DataSourceAutoConfiguration} is not imported (excluded, or a test slice without it), this
 * is not either ({@link SluiceDataSourceImportFilter}); Boot's JDBC test slices import it with
 * theirs ({@code META-INF/spring/...AutoConfigureJdbc.imports}).
 *
 * <p>The pool starts in the bean's constructor, so a database that is down or a wrong password
 * stops the application at start-up with Sluice's classified failure (unless
 * {@code spring.datasource.sluice.initialization-fail-timeout} is negative), and it closes with
 * the application context.
 *
 * <p>With {@code spring.datasource.sluice.tenants.enabled=true} the {@code dataSource} bean is a
 * {@link dev.sluice.TenantDataSource} instead ({@link SluiceTenantDataSourceConfiguration}).
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@Import(SluiceTenantDataSourceConfiguration.class)
@ConditionalOnMissingBean(type = "io.r2dbc.spi.ConnectionFactory")
@EnableConfigurationProperties({DataSourceProperties.class, SluiceProperties.class})
public final class SluiceDataSourceAutoConfiguration {

    private static final Log LOG = LogFactory.getLog(SluiceDataSourceAutoConfiguration.class);

    /** The value of {@code spring.datasource.type} that selects Sluice explicitly. */
    static final String TYPE = "dev.sluice.SluiceDataSource";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({DataSource.class, XADataSource.class})
    @ConditionalOnProperty(name = "spring.datasource.type", havingValue = TYPE, matchIfMissing = true)
    @ConditionalOnBooleanProperty(name = SluiceTenantDataSourceConfiguration.ENABLED, havingValue = false, matchIfMissing = true)
    SluiceDataSource dataSource(DataSourceProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
            SluiceProperties knobs, Environment environment, PoolLogBridge.Registration sluicePoolLogBridge,
            ObjectProvider<CredentialsProvider> credentialsProvider) throws SQLException {
        SluiceConfig config = config(properties, connectionDetails, knobs, environment, credentialsProvider);
        try {
            return new SluiceDataSource(config);
        } catch (SQLException e) {
            throw new PoolStartFailedException(e);
        }
    }

    /** The pool's configuration from spring.datasource.* and spring.datasource.sluice.* (and a HikariCP user's spring.datasource.hikari.*). */
    static SluiceConfig config(DataSourceProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
            SluiceProperties knobs, Environment environment, ObjectProvider<CredentialsProvider> credentialsProvider) {
        JdbcConnectionDetails connection = connectionDetails.getIfAvailable(() -> new PropertiesConnectionDetails(properties));
        // An application moved from HikariCP keeps the sizes and timeouts it was tuned with.
        HikariPropertyMigration hikari = HikariPropertyMigration.of(environment);
        hikari.log(LOG);
        SluiceConfig config;
        try {
            config = SluiceConfigBinding.bind(connection, properties.getName(), hikari.applyTo(knobs, environment),
                    hikari::isSet, environment.getProperty("spring.jmx.enabled", Boolean.class, false),
                    credentialsProvider.getIfUnique());
        } catch (InvalidSluiceConfigurationException e) {
            String written = hikari.asWritten(e.getPropertyName());
            if (written == null || written.equals(e.getPropertyName()) || !(e.getCause() instanceof IllegalArgumentException cause)) {
                throw e;
            }
            throw new InvalidSluiceConfigurationException(written, cause);
        }
        return config;
    }

    /**
     * The pool's lines in the application's log, up to its "closed": the data source depends on
     * this bean, so the context destroys it only after closing the pool.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(name = "sluicePoolLogBridge")
    static PoolLogBridge.Registration sluicePoolLogBridge() {
        return PoolLogBridge.install();
    }

    /**
     * Lets Boot read any Sluice pool's size and usage, including one the application declared
     * itself: {@code jdbc.connections.*} metrics and the {@code db} health check's validation query.
     */
    @Bean
    DataSourcePoolMetadataProvider sluicePoolMetadataProvider() {
        return dataSource -> {
            SluiceDataSource sluice = DataSourceUnwrapper.unwrap(dataSource, SluiceDataSource.class);
            return sluice != null ? new SluicePoolMetadata(sluice) : null;
        };
    }
}
