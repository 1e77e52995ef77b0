package dev.sluice.spring.boot;

import dev.sluice.PoolStats;
import dev.sluice.SluiceDataSource;
import org.springframework.boot.jdbc.metadata.AbstractDataSourcePoolMetadata;

/**
 * A Sluice pool as Boot's {@code DataSourcePoolMetadata}: what Boot publishes as
 * {@code jdbc.connections.active}, {@code .idle}, {@code .max}, {@code .min} and {@code .usage}, and
 * what its {@code db} health check validates with. Each call takes a fresh stats snapshot.
 */
public final class SluicePoolMetadata extends AbstractDataSourcePoolMetadata<SluiceDataSource> {

    public SluicePoolMetadata(SluiceDataSource dataSource) {
        super(dataSource);
    }

    private PoolStats stats() {
        return getDataSource().stats();
    }

    @Override
    public Integer getActive() {
        return stats().inUse();
    }

    @Override
    public Integer getIdle() {
        return stats().idle();
    }

    /** The current maximum, which adaptive sizing or {@code resize} may have changed since start. */
    @Override
    public Integer getMax() {
        return stats().maximumPoolSize();
    }

    @Override
    public Integer getMin() {
        return stats().minimumIdle();
    }

    @Override
    public String getValidationQuery() {
        return getDataSource().config().connectionTestQuery();
    }

    @Override
    public Boolean getDefaultAutoCommit() {
        return getDataSource().config().autoCommit();
    }
}
