package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import org.junit.jupiter.api.Test;

class SessionDefaultsTest {
    private static SessionDefaults of(String schema, int networkTimeout) {
        return new SessionDefaults(true, Connection.TRANSACTION_READ_COMMITTED, false, "db", schema, networkTimeout, false,
                QueryDeadline.LIMIT_POSTGRESQL);
    }

    @Test
    void equalDefaultsAreSharedAndDifferentOnesKept() {
        SessionDefaults shared = of("public", 0);
        assertThat(SessionDefaults.share(of("public", 0), shared)).isSameAs(shared);
        SessionDefaults other = of("tenant_a", 0);
        assertThat(SessionDefaults.share(other, shared)).isSameAs(other);
        assertThat(SessionDefaults.share(other, null)).isSameAs(other);
    }

    @Test
    void aDriverWithoutNetworkTimeoutsGetsItsOwnCopyAndTheSharedOneIsUnchanged() {
        SessionDefaults shared = of("public", 0);
        SessionDefaults without = shared.withoutNetworkTimeout();

        assertThat(without.networkTimeout()).isEqualTo(-1);
        assertThat(without.schema()).isEqualTo("public");
        assertThat(without.statementLimit()).isEqualTo(QueryDeadline.LIMIT_POSTGRESQL);
        assertThat(shared.networkTimeout()).isZero();
        assertThat(without.withoutNetworkTimeout()).isSameAs(without);
    }
}
