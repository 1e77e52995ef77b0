package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;

/**
 * DOC-REACH: how the connect went. Always reported, as info, because its numbers (connect and DNS
 * time, TLS) are the baseline every later "the database is slow" discussion needs. A warning when
 * the connect took more than half of connectionTimeout (a little more load and the pool's own
 * connects time out), or when credentials cross a network to another host without TLS.
 */
final class ReachRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        long timeoutMs = in.config().connectionTimeout().toMillis();
        String product = s.productName() == null ? "the database" : s.productName() + " " + s.version();
        String how = "connected to " + product + (s.user() == null ? "" : " as " + s.user()) + " in " + s.connectMillis() + " ms"
                + (s.dnsMillis() == null ? "" : " (DNS " + s.dnsMillis() + " ms)")
                + (s.tls() == null ? "" : s.tls() ? ", over TLS" : ", without TLS");
        var v = values("host", s.host(), "connect_ms", s.connectMillis(), "dns_ms", s.dnsMillis(), "tls", s.tls(),
                "connectionTimeout", in.config().connectionTimeout());
        if (s.connectMillis() * 2 > timeoutMs) {
            out.add("DOC-REACH", Severity.WARNING, how + ", more than half of connectionTimeout="
                    + TimeText.of(in.config().connectionTimeout()) + ": under load the pool's connects will time out", v,
                    "raise connectionTimeout well above the connect time, or find what makes connecting slow (DNS, TLS, authentication)");
        } else if (Boolean.FALSE.equals(s.tls()) && Boolean.FALSE.equals(s.loopback())) {
            out.add("DOC-REACH", Severity.WARNING, how + ": the password and every row cross the network to " + s.host() + " unencrypted",
                    v, "turn TLS on in the URL (PostgreSQL: sslmode=verify-full; MariaDB: sslMode=verify-full)");
        } else {
            out.add("DOC-REACH", Severity.INFO, how, v, "");
        }
    }
}
