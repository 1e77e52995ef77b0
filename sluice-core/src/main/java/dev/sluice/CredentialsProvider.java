package dev.sluice;

import java.util.Objects;

/**
 * Supplies the user and password for each new physical connection, for credentials that change:
 * short-lived tokens (cloud IAM database authentication), leased secrets (Vault), rotated
 * passwords. The pool calls it on the connecting thread, once per connect attempt, inside the
 * attempt's deadline; an attempt whose provider hangs is abandoned like a hanging connect.
 *
 * <p>A provider that throws fails the attempt with {@link FailureReason#CREDENTIALS_UNAVAILABLE}
 * (transient: the pool retries, and repeated failures open the circuit breaker like any connect
 * failure). When the database rejects what the provider returned, the pool asks the provider once
 * more within the same attempt, because a rotation may have happened between the two calls.
 *
 * <p>Implementations must be thread-safe, and should cache: the pool may call them from several
 * connecting threads at once. The password is never logged, shown in stats or kept by the pool
 * beyond the connect.
 */
@FunctionalInterface
public interface CredentialsProvider {

    /** The credentials for the next connect. Must not return null. */
    Credentials credentials() throws Exception;

    /**
     * A user and password. A null {@code username} means the pool's configured {@code username};
     * a null {@code password} means none.
     */
    record Credentials(String username, String password) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Credentials c && Objects.equals(username, c.username) && Objects.equals(password, c.password);
        }

        @Override
        public int hashCode() {
            return Objects.hash(username, password);
        }

        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=" + (password == null ? "<none>" : "<hidden>") + "]";
        }
    }
}
