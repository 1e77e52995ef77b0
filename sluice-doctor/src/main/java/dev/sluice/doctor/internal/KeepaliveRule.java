package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;
import java.time.Duration;

/**
 * DOC-KEEPALIVE: a firewall, NAT or load balancer on the way drops flows idle longer than its
 * limit, silently: neither end is told, and the next use of the connection hangs until a timeout.
 * Only the caller knows the limit ({@code --network-idle-timeout}). The pool must touch each idle
 * connection at least {@link LifetimeRule#MARGIN} before it; TCP keepalive can do it too, but only
 * if the OS sends its first probe before the limit, which with Linux's default (2 h) it does not.
 */
final class KeepaliveRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        Duration limit = in.networkIdleTimeout();
        if (limit == null) {
            return;
        }
        CheckInput.Bound bound = in.idleBound();
        Duration allowed = limit.minus(LifetimeRule.MARGIN);
        long tcpIdle = in.machine().tcpKeepaliveIdle();
        boolean tcpCovers = in.driver().tcpKeepAlive() && tcpIdle > 0 && Duration.ofSeconds(tcpIdle).compareTo(allowed) <= 0;
        var v = values("network_idle_timeout", limit, "keepaliveTime", in.config().keepaliveTime(), "maxLifetime", in.config().maxLifetime(),
                "maxIdleTime", in.config().maxIdleTime(), "tcpKeepAlive", in.driver().tcpKeepAlive(),
                "tcp_keepalive_time", tcpIdle < 0 ? null : tcpIdle + "s", "margin", LifetimeRule.MARGIN);
        if (bound != null && bound.value().compareTo(allowed) <= 0) {
            return;
        }
        if (tcpCovers) {
            out.add("DOC-KEEPALIVE", Severity.INFO, "the pool may leave a connection idle past the network's " + TimeText.of(limit)
                    + " limit, but the OS sends TCP keepalive probes after " + tcpIdle + "s, which keeps the flow open", v, "");
            return;
        }
        String pool = bound == null ? "the pool never touches an idle connection (keepaliveTime, maxLifetime and maxIdleTime are off)"
                : "the pool may leave a connection idle for " + bound.knob() + "=" + TimeText.of(bound.value());
        Duration suggested = allowed.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : allowed;
        out.add("DOC-KEEPALIVE", Severity.ERROR, "the network drops connections idle for " + TimeText.of(limit) + ", and " + pool
                + (tcpIdle > 0 ? "; TCP keepalive starts only after " + tcpIdle + "s" : "")
                + ": pooled connections die silently and the next borrower waits for validationTimeout", v,
                "set keepaliveTime=" + TimeText.of(suggested) + " or less (" + TimeText.of(LifetimeRule.MARGIN)
                        + " below the network's limit), or lower the OS's net.ipv4.tcp_keepalive_time below it");
    }
}
