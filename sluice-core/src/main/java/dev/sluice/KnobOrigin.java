package dev.sluice;

/**
 * Where the effective value of a configuration knob came from; see
 * {@link SluiceConfig#origin(String)}. It tells an operator reading a log or JMX whether a value
 * is one they chose or one Sluice chose for them.
 */
public enum KnobOrigin {
    /** Not set; the documented default applies unchanged. */
    DEFAULT,
    /**
     * Not set, and the default would have contradicted a knob that was set, so Sluice derived a
     * value from that knob instead (for example {@code idleTimeout} switched off by a shorter
     * {@code maxLifetime}). The pool logs each derivation once at start.
     */
    DERIVED,
    /** Set explicitly, through the builder or a property. */
    SET
}
