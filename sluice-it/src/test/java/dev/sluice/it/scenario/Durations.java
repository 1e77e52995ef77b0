package dev.sluice.it.scenario;

import java.time.Duration;

/**
 * How long the scenarios run. {@link #SHORT} is for the default test run (CI): the same
 * scenarios with shorter faults, so the whole suite adds a few minutes. {@link #FULL} has the
 * durations of the issue and is what {@code scenarios/run.sh} measures for docs/reliability.md.
 *
 * @param warmUp          load before a fault, which also sets the reference throughput
 * @param outage          S2: how long the database refuses connections
 * @param recovery        S3: how long the load runs on after the database is back
 * @param blackhole       S4: how long the network swallows everything
 * @param maxLifetime     S7: the pool's maxLifetime (HikariCP will not go below 30 s)
 * @param constructorCap  S1/S1b: how long a constructor may hang before the scenario gives up on it
 */
public record Durations(String name, Duration warmUp, Duration outage, Duration recovery, Duration blackhole,
        Duration maxLifetime, Duration constructorCap) {

    public static final Durations SHORT = new Durations("short", Duration.ofMillis(1500), Duration.ofSeconds(4),
            Duration.ofMillis(1500), Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(10));

    public static final Durations FULL = new Durations("full", Duration.ofSeconds(3), Duration.ofSeconds(10),
            Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(20));
}
