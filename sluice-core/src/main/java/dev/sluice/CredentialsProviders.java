package dev.sluice;

/** Creates a {@link CredentialsProvider} named in configuration. */
final class CredentialsProviders {
    private CredentialsProviders() {
    }

    static CredentialsProvider instantiate(String className) {
        Class<?> type = null;
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), CredentialsProviders.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                type = Class.forName(className, true, loader);
                break;
            } catch (ClassNotFoundException e) {
                // try the next loader
            }
        }
        if (type == null) {
            throw KnobText.invalid("credentialsProviderClassName", className, "credentialsProviderClassName=" + className + " is not on the class path");
        }
        if (!CredentialsProvider.class.isAssignableFrom(type)) {
            throw KnobText.invalid("credentialsProviderClassName", className, "credentialsProviderClassName=" + className
                    + " does not implement " + CredentialsProvider.class.getName());
        }
        try {
            return (CredentialsProvider) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw KnobText.invalid("credentialsProviderClassName", className, "credentialsProviderClassName=" + className
                    + " cannot be created: it needs a public no-argument constructor (" + e + ")", e);
        }
    }
}
