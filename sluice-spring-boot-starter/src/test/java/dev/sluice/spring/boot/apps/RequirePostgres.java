package dev.sluice.spring.boot.apps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The project's rule for tests that need the local PostgreSQL (127.0.0.1:5432, user postgres,
 * database test): skipped with the reason when it does not answer, except with {@code CI=true},
 * where the test fails instead. Checked before Spring starts a context, so a missing database is
 * one clear line rather than a failed context.
 */
public final class RequirePostgres implements ExecutionCondition {
    public static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String HOST = "127.0.0.1";
    static final int PORT = 5432;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 1000);
            return ConditionEvaluationResult.enabled("PostgreSQL answers at " + HOST + ":" + PORT);
        } catch (IOException e) {
            String problem = "PostgreSQL not reachable at " + HOST + ":" + PORT + " (" + e.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(problem + " and CI=true: this suite must run in CI, not skip;"
                        + " start the database (see .ci/run)");
            }
            System.err.println("[sluice-spring-boot-starter] " + problem + "; skipped (set CI=true to make this a failure)");
            return ConditionEvaluationResult.disabled(problem + "; skipped (set CI=true to make this a failure)");
        }
    }
}
