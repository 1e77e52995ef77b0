package dev.sluice.it.scenario;

import com.zaxxer.hikari.HikariDataSource;

/** The pools the fault scenarios drive: Sluice, and HikariCP as the reference peer. */
public enum PoolKind {
    SLUICE("Sluice"),
    HIKARI("HikariCP");

    private final String label;

    PoolKind(String label) {
        this.label = label;
    }

    /** The name with its version where the jar says it, e.g. {@code HikariCP 7.1.0}. */
    public String label() {
        if (this == HIKARI) {
            String v = HikariDataSource.class.getPackage().getImplementationVersion();
            return v == null ? label : label + " " + v;
        }
        return label;
    }

    /** Parses {@code sluice}, {@code hikari} or {@code hikaricp}, case-insensitively. */
    public static PoolKind parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "sluice" -> SLUICE;
            case "hikari", "hikaricp" -> HIKARI;
            default -> throw new IllegalArgumentException("unknown pool '" + s + "' (sluice, hikari)");
        };
    }
}
