package dev.sluice.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FailureReason;
import dev.sluice.SluiceConfig;
import dev.sluice.SluiceFailure;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The check a new connection passes when the pool needs a primary; on fake connections that answer as a server would. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PrimaryCheckTest {
    private final List<String> queries = new ArrayList<>();

    @Test
    void aPgjdbcUrlAsksForAPrimaryWithTargetServerTypePrimaryOrMaster() {
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:postgresql://a:5440,b:5441/db?targetServerType=primary")).isTrue();
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:postgresql://a,b/db?ssl=false&targetServerType=master&x=1")).isTrue();
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:postgresql://a,b/db?targetServerType=preferPrimary")).isFalse();
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:postgresql://a,b/db?targetServerType=any")).isFalse();
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:postgresql://a/db")).isFalse();
        assertThat(PrimaryCheck.urlAsksForPrimary("jdbc:mariadb://a/db?targetServerType=primary")).isFalse();
        assertThat(PrimaryCheck.urlAsksForPrimary(null)).isFalse();
    }

    @Test
    void thereIsACheckOnlyWhenTheUrlOrTheKnobAsksForIt() {
        assertThat(PrimaryCheck.of(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://a/db").build())).isNull();
        assertThat(PrimaryCheck.of(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://a/db").requirePrimary(true).build())).isNotNull();
        assertThat(PrimaryCheck.of(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://a,b/db?targetServerType=primary").build()))
                .isNotNull();
    }

    @Test
    void aPostgresStandbyIsRefusedAsATransientConnectFailure() {
        assertThatThrownBy(() -> check().verify(server("PostgreSQL", true, "off"), "127.0.0.1:5441"))
                .isInstanceOfSatisfying(SluiceFailure.class, f -> {
                    assertThat(f.reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
                    assertThat(f.reason().isTransient()).isTrue();
                })
                .hasMessageContaining("p: 127.0.0.1:5441 answered from a standby (pg_is_in_recovery() is true)")
                .hasMessageContaining("a primary is required");
        assertThat(queries).containsExactly("select pg_is_in_recovery(), current_setting('transaction_read_only')");
    }

    @Test
    void aDemotedPostgresPrimaryThatIsReadOnlyButNotInRecoveryIsRefused() {
        assertThatThrownBy(() -> check().verify(server("PostgreSQL", false, "on"), "h"))
                .hasMessageContaining("read-only server (transaction_read_only is on)");
    }

    @Test
    void aMariaDbServerWithReadOnlyOnIsRefusedAndOneWithItOffPasses() {
        assertThatThrownBy(() -> check().verify(server("MariaDB", false, "1"), "h"))
                .hasMessageContaining("read-only server (@@global.read_only is on)");
        assertThat(queries).containsExactly("select 0, @@global.read_only");
        assertThatCode(() -> check().verify(server("MySQL", false, "0"), "h")).doesNotThrowAnyException();
    }

    @Test
    void aPrimaryPassesAndADatabaseWithoutStandbysIsNotQueried() throws Exception {
        check().verify(server("PostgreSQL", false, "off"), "h");
        queries.clear();
        check().verify(server("H2", true, "on"), "h");
        assertThat(queries).isEmpty();
    }

    private static PrimaryCheck check() {
        return PrimaryCheck.of(SluiceConfig.builder().jdbcUrl("jdbc:postgresql://a/db").poolName("p").requirePrimary(true).build());
    }

    /** A connection to a server named {@code product} whose check query answers ({@code inRecovery}, {@code readOnly}). */
    private Connection server(String product, boolean inRecovery, String readOnly) {
        DatabaseMetaData meta = proxy(DatabaseMetaData.class, (m, a) -> product);
        ResultSet rs = proxy(ResultSet.class, (m, a) -> switch (m) {
            case "next" -> true;
            case "getBoolean" -> inRecovery;
            case "getString" -> readOnly;
            default -> null;
        });
        Statement st = proxy(Statement.class, (m, a) -> {
            if (m.equals("executeQuery")) {
                queries.add((String) a[0]);
                return rs;
            }
            return null;
        });
        return proxy(Connection.class, (m, a) -> switch (m) {
            case "getMetaData" -> meta;
            case "createStatement" -> st;
            case "getAutoCommit" -> true;
            default -> null;
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(PrimaryCheckTest.class.getClassLoader(), new Class<?>[] {type},
                (p, m, a) -> answer.answer(m.getName(), a)));
    }
}
