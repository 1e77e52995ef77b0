package dev.sluice.internal;

import dev.sluice.InvalidConfigException;
import dev.sluice.InvalidConfigException.Violation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * HikariCP's DataSource-based configuration: instantiates a driver's {@link DataSource} class by
 * name and sets each {@code dataSource.<name>} entry through the class's {@code set<Name>} method,
 * as a JavaBean. This is how drivers expose settings that have no URL form, and it is what
 * HikariCP recommends, so configurations written that way must work unchanged.
 *
 * <p>Values are converted to the setter's parameter type: String, int, long, boolean, short,
 * double (or their boxes), or {@link Properties}. Every entry that cannot be applied is reported,
 * not just the first, each naming the property and what the class offers instead.
 */
public final class DataSourceBeanBinder {
    private static final String PREFIX = "dataSource.";

    private DataSourceBeanBinder() {
    }

    /**
     * @param className  a {@link DataSource} with a public no-argument constructor
     * @param properties bean properties by name (without the {@code dataSource.} prefix)
     * @throws InvalidConfigException naming each property (or the class) that cannot be applied
     */
    public static DataSource bind(String className, Properties properties) {
        Class<?> type = load(className);
        DataSource ds = instantiate(type, className);
        Map<String, List<Method>> setters = setters(type);
        List<Violation> problems = new ArrayList<>();
        Map<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            sorted.put(String.valueOf(e.getKey()), e.getValue());
        }
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            String property = e.getKey();
            List<Method> candidates = setters.get(property.toLowerCase(Locale.ROOT));
            if (candidates == null) {
                String hint = ClosestName.among(property, setterNames(setters)).map(n -> "; did you mean " + PREFIX + n + "?")
                        .orElse("");
                problems.add(new Violation(PREFIX + property, shown(property, e.getValue()), PREFIX + property + ": "
                        + className + " has no setter set" + capitalize(property) + "(...)" + hint));
                continue;
            }
            String problem = apply(ds, property, e.getValue(), candidates);
            if (problem != null) {
                problems.add(new Violation(PREFIX + property, shown(property, e.getValue()), problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
        return ds;
    }

    private static Class<?> load(String className) {
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                DataSourceBeanBinder.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                // try the next loader
            }
        }
        throw single(className, "dataSourceClassName=" + className
                + " is not on the class path; add the JDBC driver dependency, or check the class name", null);
    }

    private static DataSource instantiate(Class<?> type, String className) {
        if (!DataSource.class.isAssignableFrom(type)) {
            throw single(className, "dataSourceClassName=" + className + " is not a javax.sql.DataSource", null);
        }
        try {
            return (DataSource) type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw single(className, "dataSourceClassName=" + className + " failed in its constructor: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw single(className, "dataSourceClassName=" + className
                    + " cannot be instantiated: it needs a public no-argument constructor", e);
        }
    }

    private static InvalidConfigException single(String className, String message, Throwable cause) {
        return new InvalidConfigException(new Violation("dataSourceClassName", className, message), cause);
    }

    /** Public one-argument {@code set*} methods by lower-cased property name (bean names are case-insensitive here, as in HikariCP). */
    private static Map<String, List<Method>> setters(Class<?> type) {
        Map<String, List<Method>> byName = new TreeMap<>();
        for (Method m : type.getMethods()) {
            if (m.getName().length() > 3 && m.getName().startsWith("set") && m.getParameterCount() == 1
                    && !Modifier.isStatic(m.getModifiers())) {
                byName.computeIfAbsent(m.getName().substring(3).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(m);
            }
        }
        return byName;
    }

    private static List<String> setterNames(Map<String, List<Method>> setters) {
        List<String> names = new ArrayList<>();
        for (List<Method> ms : setters.values()) {
            String n = ms.get(0).getName().substring(3);
            // setURL is written dataSource.url, setServerName dataSource.serverName.
            names.add(n.equals(n.toUpperCase(Locale.ROOT)) ? n.toLowerCase(Locale.ROOT) : Character.toLowerCase(n.charAt(0)) + n.substring(1));
        }
        return names;
    }

    /** Applies the value through the first setter whose type it converts to; returns a problem, or null. */
    private static String apply(DataSource ds, String property, Object value, List<Method> candidates) {
        List<String> types = new ArrayList<>();
        for (Method m : candidates) {
            Class<?> t = m.getParameterTypes()[0];
            types.add(t.getSimpleName());
            Object converted;
            try {
                converted = convert(value, t);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (converted == null) {
                continue;
            }
            try {
                m.invoke(ds, converted);
                return null;
            } catch (InvocationTargetException e) {
                return PREFIX + property + ": " + m.getDeclaringClass().getName() + "." + m.getName() + " rejected "
                        + shown(property, value) + ": " + e.getCause();
            } catch (IllegalAccessException | RuntimeException e) {
                return PREFIX + property + ": " + m.getDeclaringClass().getName() + "." + m.getName() + " cannot be called: " + e;
            }
        }
        return PREFIX + property + "=" + shown(property, value) + " cannot be converted to " + String.join(" or ", types)
                + ", the parameter type of set" + capitalize(property);
    }

    /** The value as the setter's type, null if the type is not one we convert to. */
    private static Object convert(Object value, Class<?> t) {
        if (t.isInstance(value)) {
            return value;
        }
        String text = String.valueOf(value).trim();
        if (t == String.class) {
            return String.valueOf(value);
        }
        if (t == int.class || t == Integer.class) {
            return Integer.valueOf(text);
        }
        if (t == long.class || t == Long.class) {
            return Long.valueOf(text);
        }
        if (t == short.class || t == Short.class) {
            return Short.valueOf(text);
        }
        if (t == double.class || t == Double.class) {
            return Double.valueOf(text);
        }
        if (t == boolean.class || t == Boolean.class) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw new IllegalArgumentException("not a boolean: " + text);
            }
            return Boolean.valueOf(lower);
        }
        return null;
    }

    private static String shown(String property, Object value) {
        if (Redaction.isSecret(property)) {
            return "<hidden>";
        }
        return property.toLowerCase(Locale.ROOT).contains("url") ? Redaction.url(String.valueOf(value)) : String.valueOf(value);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
