package dev.sluice.spring.boot;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Imports {@link SluiceDataSourceAutoConfiguration} only together with Boot's
 * {@code DataSourceAutoConfiguration}, so Sluice's data source backs off exactly when Boot's would:
 * an application that excludes Boot's (by {@code @SpringBootApplication(exclude = ...)} or
 * {@code spring.autoconfigure.exclude}) gets no pool from Sluice either, and a test slice gets one
 * only if it imports Boot's.
 *
 * <p>Sluice's auto-configuration has to run <em>before</em> Boot's, so that it wins over a HikariCP
 * still on the class path; a condition on Boot's configuration class would therefore be evaluated
 * before that class is registered. Boot hands every import filter the list of auto-configurations
 * it is about to import, exclusions already removed, which is exactly the fact needed here.
 *
 * <p>Spring also asks the filters about each imported class on its own (a list of one), to skip
 * imports a filter rules out; such a list says nothing about Boot's, so it never rules Sluice's out.
 * The same holds for an explicit {@code @ImportAutoConfiguration(SluiceDataSourceAutoConfiguration.class)}.
 */
final class SluiceDataSourceImportFilter implements AutoConfigurationImportFilter {

    static final String BOOTS_DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    private static final String SLUICES = "dev.sluice.spring.boot.SluiceDataSourceAutoConfiguration";

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
        // Entries already ruled out by an earlier filter are null; Boot's ruled out (a missing class) rules Sluice out too.
        List<String> imported = Arrays.asList(autoConfigurationClasses);
        boolean withBoots = imported.size() == 1 || imported.contains(BOOTS_DATA_SOURCE_AUTO_CONFIGURATION);
        boolean[] match = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < match.length; i++) {
            match[i] = withBoots || !SLUICES.equals(autoConfigurationClasses[i]);
        }
        return match;
    }
}
