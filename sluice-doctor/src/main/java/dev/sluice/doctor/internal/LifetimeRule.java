package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;
import java.time.Duration;

/**
 * DOC-LIFETIME: the server closes sessions idle longer than its limit (PostgreSQL
 * idle_session_timeout, MariaDB/MySQL wait_timeout as this session gets it), and the pool must
 * touch or retire every idle connection at least {@link #MARGIN} before that. Otherwise the server
 * closes pooled connections behind the pool's back: Sluice validates a connection idle past a short
 * window and replaces a dead one, but each borrow after a quiet spell then pays a reconnect, and
 * a pool without that check hands the dead connection to the application (the most repeated
 * question in HikariCP's tracker).
 */
final class LifetimeRule implements Rule {
    static final Duration MARGIN = Duration.ofSeconds(5);

    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        Duration limit = s.idleSessionTimeout();
        if (limit == null || limit.isZero()) {
            return;
        }
        String setting = s.product() == ServerFacts.Product.POSTGRESQL ? "idle_session_timeout" : "wait_timeout";
        CheckInput.Bound bound = in.idleBound();
        Duration allowed = limit.minus(MARGIN);
        if (bound != null && bound.value().compareTo(allowed) <= 0) {
            return;
        }
        var config = in.config();
        boolean sessionDiffers = s.waitTimeoutGlobal() != null && !s.waitTimeoutGlobal().equals(limit);
        String server = s.productName() + " closes a session idle for " + setting + "=" + TimeText.of(limit)
                + (sessionDiffers ? " (this session's value; global " + TimeText.of(s.waitTimeoutGlobal()) + ")" : "");
        String pool = bound == null ? "the pool keeps an idle connection without limit (keepaliveTime, maxLifetime and maxIdleTime are off)"
                : "the pool may leave a connection idle for " + bound.knob() + "=" + TimeText.of(bound.value());
        Duration suggested = allowed.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : allowed;
        String fix = config.maxLifetime().isZero() || suggested.compareTo(config.maxLifetime()) < 0
                ? "set keepaliveTime=" + TimeText.of(suggested) + " or less (" + TimeText.of(MARGIN) + " below " + setting
                        + "), or maxLifetime below it; or raise " + setting
                : "set maxLifetime=" + TimeText.of(suggested) + " or less (" + TimeText.of(MARGIN) + " below " + setting + "), or raise " + setting;
        out.add("DOC-LIFETIME", Severity.ERROR, server + ", and " + pool + ": the server closes pooled connections first",
                values(setting, limit, "wait_timeout_global", sessionDiffers ? s.waitTimeoutGlobal() : null,
                        "maxLifetime", config.maxLifetime(), "keepaliveTime", config.keepaliveTime(),
                        "idleTimeout", config.idleTimeout(), "maxIdleTime", config.maxIdleTime(), "margin", MARGIN),
                fix);
    }
}
