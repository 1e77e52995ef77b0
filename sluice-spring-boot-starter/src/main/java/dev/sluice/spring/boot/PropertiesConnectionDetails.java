package dev.sluice.spring.boot;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * The connection as {@code spring.datasource.*} describes it, for when no service-connection bean
 * (Docker Compose, Testcontainers) supplies one. Boot's own adapter is not public. The
 * {@code determine*} methods apply Boot's rules, such as an embedded database's URL when none is set.
 */
final class PropertiesConnectionDetails implements JdbcConnectionDetails {
    private final DataSourceProperties properties;

    PropertiesConnectionDetails(DataSourceProperties properties) {
        this.properties = properties;
    }

    @Override
    public String getJdbcUrl() {
        return properties.determineUrl();
    }

    @Override
    public String getUsername() {
        return properties.determineUsername();
    }

    @Override
    public String getPassword() {
        return properties.determinePassword();
    }

    /** Only a driver named explicitly: Sluice finds the driver for the URL itself otherwise. */
    @Override
    public String getDriverClassName() {
        return properties.getDriverClassName();
    }
}
