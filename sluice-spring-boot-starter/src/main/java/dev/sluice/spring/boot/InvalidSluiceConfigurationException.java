package dev.sluice.spring.boot;

/**
 * A Sluice knob set through Spring properties was rejected by Sluice. Carries the Spring property
 * that holds the bad value (when it can be told) so the failure analysis can point at it; the
 * message is Sluice's own, naming the knob, the value and the allowed range.
 */
public class InvalidSluiceConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String propertyName;

    InvalidSluiceConfigurationException(String propertyName, IllegalArgumentException cause) {
        super(cause.getMessage(), cause);
        this.propertyName = propertyName;
    }

    /** The Spring property at fault, e.g. {@code spring.datasource.sluice.maximum-pool-size}, or null if unknown. */
    public String getPropertyName() {
        return propertyName;
    }
}
