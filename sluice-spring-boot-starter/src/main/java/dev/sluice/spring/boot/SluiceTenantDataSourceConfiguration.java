package dev.sluice.spring.boot;

import dev.sluice.CredentialsProvider;
import dev.sluice.InvalidConfigException;
import dev.sluice.SluiceConfig;
import dev.sluice.TenantDataSource;
import dev.sluice.TenantResolver;
import java.sql.SQLException;
import javax.sql.DataSource;
import javax.sql.XADataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * With {@code spring.datasource.sluice.tenants.enabled=true}, the application's {@code dataSource}
 * is a {@link TenantDataSource}: its template is the pool {@code spring.datasource.*} and
 * {@code spring.datasource.sluice.*} describe, its budget and per-tenant limits come from
 * {@code spring.datasource.sluice.tenants.*}, and {@code getConnection()} (what JdbcTemplate, JPA
 * and transactions call) borrows for the tenant the application's {@link TenantResolver} bean
 * names. It closes with the context, after its borrowed connections are returned or the template's
 * shutdown-timeout passes.
 *
 * <p>The resolver is required rather than optional: without it every borrow outside a
 * {@link dev.sluice.Tenant#scope} would fail, which an application would discover at its first
 * request instead of at start-up.
 */
@Configuration(proxyBeanMethods = false)
class SluiceTenantDataSourceConfiguration {
    static final String ENABLED = SluiceProperties.PREFIX + ".tenants.enabled";
    private static final String TENANTS = SluiceProperties.PREFIX + ".tenants.";

    @Bean(name = "dataSource", destroyMethod = "close")
    @ConditionalOnMissingBean({DataSource.class, XADataSource.class})
    @ConditionalOnProperty(name = "spring.datasource.type", havingValue = SluiceDataSourceAutoConfiguration.TYPE, matchIfMissing = true)
    @ConditionalOnBooleanProperty(ENABLED)
    TenantDataSource tenantDataSource(DataSourceProperties properties, ObjectProvider<JdbcConnectionDetails> connectionDetails,
            SluiceProperties knobs, Environment environment, PoolLogBridge.Registration sluicePoolLogBridge,
            ObjectProvider<CredentialsProvider> credentialsProvider, ObjectProvider<TenantResolver> resolvers) {
        TenantResolver resolver = resolvers.getIfUnique();
        if (resolver == null) {
            throw new MissingTenantResolverException(resolvers.stream().count());
        }
        SluiceConfig template = SluiceDataSourceAutoConfiguration.config(properties, connectionDetails, knobs, environment,
                credentialsProvider);
        TenantDataSource.Builder b = builder(knobs.getTenants()).template(template).tenantResolver(resolver);
        try {
            return b.build();
        } catch (InvalidConfigException e) {
            throw new InvalidSluiceConfigurationException(propertyOf(e.knob()), e);
        } catch (SQLException e) {
            throw new PoolStartFailedException(e);
        }
    }

    /** The tenant knobs as set; unset ones are left to TenantDataSource's defaults, which derive from the template. */
    static TenantDataSource.Builder builder(SluiceTenantProperties t) {
        TenantDataSource.Builder b = TenantDataSource.builder().mode(t.getMode()).tenantIdleTimeout(t.getTenantIdleTimeout());
        if (t.getGlobalMaximumPoolSize() != null) {
            b.globalMaximumPoolSize(t.getGlobalMaximumPoolSize());
        }
        if (t.getTenantMaximumPoolSize() != null) {
            b.tenantMaximumPoolSize(t.getTenantMaximumPoolSize());
        }
        String url = t.getTenantUrl();
        if (url != null) {
            if (!url.contains("{tenant}")) {
                throw new InvalidSluiceConfigurationException(TENANTS + "tenant-url", new IllegalArgumentException(
                        TENANTS + "tenant-url='" + url + "' must contain {tenant} where the tenant id goes"));
            }
            b.tenantUrl(tenant -> url.replace("{tenant}", tenant));
        }
        t.getReserve().forEach(b::tenantReserve);
        t.getWeight().forEach(b::tenantWeight);
        return b;
    }

    /** The Spring property of a tenant knob ({@code tenants.globalMaximumPoolSize}) or of a template knob. */
    static String propertyOf(String knob) {
        if (knob == null || !knob.startsWith("tenants.")) {
            return SluiceConfigBinding.propertyOf(knob);
        }
        if (knob.startsWith(TenantDataSource.RESERVE_PREFIX) || knob.startsWith(TenantDataSource.WEIGHT_PREFIX)) {
            return SluiceProperties.PREFIX + "." + knob; // the tenant id keeps its case
        }
        return SluiceConfigBinding.propertyOf(knob);
    }
}
