/**
 * Micrometer meters for Sluice pools: {@link dev.sluice.micrometer.SluiceMetrics}. Reads only the
 * core's public API ({@code dev.sluice}), never its internals.
 */
module dev.sluice.micrometer {
    // Transitive: SluiceMetrics's signatures use types of both (SluiceDataSource, MeterRegistry, Tag).
    requires transitive dev.sluice.core;
    requires transitive micrometer.core;

    exports dev.sluice.micrometer;
}
