package dev.sluice.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains at start-up that tenant routing is on and the application has no (single) TenantResolver bean. */
final class MissingTenantResolverFailureAnalyzer extends AbstractFailureAnalyzer<MissingTenantResolverException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingTenantResolverException cause) {
        String action = cause.found() == 0
                ? "Define a bean of type dev.sluice.TenantResolver that returns the current request's tenant id (for example"
                        + " from a request attribute or a ThreadLocal your web filter sets), or set "
                        + SluiceTenantDataSourceConfiguration.ENABLED + "=false."
                : "Mark the TenantResolver bean to use @Primary, or remove the others.";
        return new FailureAnalysis("The Sluice tenant data source could not start: " + cause.getMessage() + ".", action, cause);
    }
}
