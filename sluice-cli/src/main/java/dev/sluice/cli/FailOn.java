package dev.sluice.cli;

import dev.sluice.PoolHealth.Status;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The statuses {@code sluice patrol --fail-on} stops at. A level includes the worse ones: a deploy
 * that fails on {@code busy} fails on a pool that is {@code SATURATED} or {@code DOWN} too.
 * {@code OVERSIZED} is not worse than anything (the pool serves its callers, it only holds
 * connections it does not need), so it has a level of its own; {@code unhealthy} is every status
 * but {@code HEALTHY}.
 */
enum FailOn {
    busy(EnumSet.of(Status.BUSY, Status.SATURATED, Status.DOWN)),
    saturated(EnumSet.of(Status.SATURATED, Status.DOWN)),
    down(EnumSet.of(Status.DOWN)),
    oversized(EnumSet.of(Status.OVERSIZED)),
    unhealthy(EnumSet.complementOf(EnumSet.of(Status.HEALTHY)));

    private final Set<Status> statuses;

    FailOn(Set<Status> statuses) {
        this.statuses = statuses;
    }

    /** The statuses any of {@code levels} fails on. */
    static Set<Status> statuses(Iterable<FailOn> levels) {
        Set<Status> all = EnumSet.noneOf(Status.class);
        for (FailOn level : levels) {
            all.addAll(level.statuses);
        }
        return all;
    }

    /** Takes the level in any case, as the statuses are printed in upper case. */
    static final class Converter implements ITypeConverter<FailOn> {
        @Override
        public FailOn convert(String value) {
            try {
                return FailOn.valueOf(value.strip().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a status to fail on; use "
                        + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
            }
        }
    }
}
