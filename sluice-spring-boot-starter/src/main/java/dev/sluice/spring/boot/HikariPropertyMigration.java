package dev.sluice.spring.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The {@code spring.datasource.hikari.*} properties of an application moved from HikariCP, read as
 * Sluice's knobs where Sluice has one of the same name and meaning, so the pool keeps the sizes and
 * timeouts the application was tuned with. A {@code spring.datasource.sluice.*} value wins over
 * its HikariCP twin; HikariCP names without a Sluice knob are reported as having no effect.
 */
final class HikariPropertyMigration {

    static final String HIKARI_PREFIX = "spring.datasource.hikari";

    private static final ConfigurationPropertyName HIKARI = ConfigurationPropertyName.of(HIKARI_PREFIX);
    private static final ConfigurationPropertyName SLUICE = ConfigurationPropertyName.of(SluiceProperties.PREFIX);
    private static final String DATA_SOURCE_PROPERTIES = "data-source-properties";

    /** HikariCP's knobs that Sluice has under the same kebab-case name, with the same meaning and units. */
    private static final Set<String> SHARED = Set.of("pool-name", "maximum-pool-size", "minimum-idle", "connection-timeout",
            "validation-timeout", "idle-timeout", "max-lifetime", "keepalive-time", "leak-detection-threshold",
            "initialization-fail-timeout", "connection-test-query", "connection-init-sql", "auto-commit", "read-only",
            "transaction-isolation", "catalog", "schema", "register-mbeans", DATA_SOURCE_PROPERTIES);

    /** Sluice property name → the HikariCP value it takes, as written (placeholders resolved when bound). */
    private final Map<String, Object> renamed = new LinkedHashMap<>();
    private final Set<String> applied = new LinkedHashSet<>();
    private final Set<String> overridden = new LinkedHashSet<>();
    private final Set<String> withoutEquivalent = new LinkedHashSet<>();
    /** Paths set under {@code spring.datasource.sluice}, e.g. {@code max-lifetime}, {@code data-source-properties.ssl}. */
    private final Set<String> sluiceSet = new LinkedHashSet<>();

    private HikariPropertyMigration() {
    }

    /** Reads {@code spring.datasource.hikari.*} and {@code spring.datasource.sluice.*} from every source of the environment. */
    static HikariPropertyMigration of(Environment environment) {
        HikariPropertyMigration m = new HikariPropertyMigration();
        Set<String> sluiceSet = m.sluiceSet;
        Map<String, Object> hikari = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().forEach(name -> {
                if (SLUICE.isAncestorOf(name)) {
                    sluiceSet.add(knobPath(name));
                } else if (HIKARI.isAncestorOf(name)) {
                    ConfigurationProperty p = source.getConfigurationProperty(name);
                    if (p != null) {
                        hikari.putIfAbsent(knobPath(name), p.getValue()); // the first source wins, as in the environment
                    }
                }
            });
        }
        for (Map.Entry<String, Object> e : hikari.entrySet()) {
            String path = e.getKey();
            String knob = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
            if (!SHARED.contains(knob)) {
                m.withoutEquivalent.add(HIKARI_PREFIX + "." + path);
            } else if (sluiceSet.contains(path)) {
                m.overridden.add(path);
            } else {
                m.applied.add(path);
                m.renamed.put(SluiceProperties.PREFIX + "." + path, e.getValue());
            }
        }
        return m;
    }

    /**
     * The knob of a name below either prefix, in the canonical kebab-case of Sluice's properties
     * (HikariCP users often wrote {@code maximumPoolSize}); a driver property's own name keeps its
     * case, since drivers are case-sensitive.
     */
    private static String knobPath(ConfigurationPropertyName name) {
        String uniform = name.getElement(3, Form.UNIFORM);
        String knob = SHARED.stream().filter(k -> k.replace("-", "").equals(uniform)).findFirst()
                .orElse(name.getElement(3, Form.DASHED));
        StringBuilder path = new StringBuilder(knob);
        for (int i = 4; i < name.getNumberOfElements(); i++) {
            path.append('.').append(name.getElement(i, Form.ORIGINAL));
        }
        return path.toString();
    }

    /**
     * Sluice's knobs with the applicable HikariCP values filled in where no Sluice value is set;
     * {@code knobs} itself when there are none.
     */
    SluiceProperties applyTo(SluiceProperties knobs, Environment environment) {
        if (renamed.isEmpty()) {
            return knobs;
        }
        List<ConfigurationPropertySource> sources = new ArrayList<>();
        ConfigurationPropertySources.get(environment).forEach(sources::add);
        sources.add(new MapConfigurationPropertySource(renamed)); // last: any Sluice value of the application wins
        PropertySourcesPlaceholdersResolver placeholders = environment instanceof ConfigurableEnvironment c
                ? new PropertySourcesPlaceholdersResolver(c) : null;
        return new Binder(sources, placeholders).bind(SluiceProperties.PREFIX, Bindable.of(SluiceProperties.class))
                .orElseGet(SluiceProperties::new);
    }

    /**
     * Whether the application set this knob (kebab-case, e.g. {@code max-lifetime}), under
     * {@code spring.datasource.sluice} or through its HikariCP twin. Only those are passed to Sluice
     * as set: the others keep Sluice's defaults, which give way to what was set (a
     * {@code max-lifetime=5m} alone turns the default idle timeout off instead of conflicting with it).
     */
    boolean isSet(String knob) {
        for (Set<String> paths : List.of(sluiceSet, applied)) {
            for (String path : paths) {
                if (path.equals(knob) || path.startsWith(knob + ".")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One INFO line for the HikariCP properties Sluice applies, one WARN line for those it cannot. */
    void log(Log log) {
        if (!applied.isEmpty() || !overridden.isEmpty()) {
            StringBuilder line = new StringBuilder();
            if (!applied.isEmpty()) {
                line.append("Sluice applies HikariCP's ").append(list(HIKARI_PREFIX, applied))
                        .append("; rename them to ").append(list(SluiceProperties.PREFIX, applied))
                        .append(" (same names and units)");
            }
            if (!overridden.isEmpty()) {
                line.append(line.isEmpty() ? "" : "; ").append(list(HIKARI_PREFIX, overridden))
                        .append(overridden.size() == 1 ? " is" : " are").append(" overridden by ")
                        .append(list(SluiceProperties.PREFIX, overridden)).append(" and can be removed");
            }
            log.info(line);
        }
        if (!withoutEquivalent.isEmpty()) {
            log.warn(String.join(", ", withoutEquivalent) + (withoutEquivalent.size() == 1 ? " has" : " have")
                    + " no effect: Sluice has no such knob (see the README's HikariCP table for what to do instead),"
                    + " or set spring.datasource.type=com.zaxxer.hikari.HikariDataSource to keep HikariCP.");
        }
    }

    private static String list(String prefix, Set<String> paths) {
        return paths.stream().map(p -> prefix + "." + p).collect(Collectors.joining(", "));
    }

    /**
     * The property the user wrote for {@code sluiceProperty}: its HikariCP twin when the value came
     * from there, so that a rejected value names the line to change.
     */
    String asWritten(String sluiceProperty) {
        String prefix = SluiceProperties.PREFIX + ".";
        if (sluiceProperty != null && sluiceProperty.startsWith(prefix)
                && applied.contains(sluiceProperty.substring(prefix.length()))) {
            return HIKARI_PREFIX + "." + sluiceProperty.substring(prefix.length());
        }
        return sluiceProperty;
    }
}
