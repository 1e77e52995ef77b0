package dev.sluice.doctor.internal;

import static dev.sluice.doctor.internal.Findings.values;

import dev.sluice.doctor.Severity;
import java.time.Duration;

/**
 * DOC-TIMEOUTS: timeouts that fire in an order where the wrong one wins.
 * <ul>
 *   <li>A driver connect timeout set above connectionTimeout: Sluice derives it from the budget
 *       unless it is set, and a set one wins, so the driver keeps connecting after the pool gave
 *       up, holding one of the maxConcurrentCreates connect slots all the while.
 *   <li>A socketTimeout at or below the server's statement timeout: a long query is ended by the
 *       client tearing the connection down, not by the server cancelling the statement, so the
 *       connection is lost and the server may run the query to its end anyway.
 *   <li>abandonTimeout at or below the server's statement timeout: the pool aborts the connection
 *       of a query the server would have stopped cleanly a moment later.
 * </ul>
 */
final class TimeoutOrderRule implements Rule {
    @Override
    public void check(CheckInput in, ServerFacts s, Findings out) {
        var config = in.config();
        DriverSettings d = in.driver();
        if (d.connectTimeout() != null && d.connectTimeout().compareTo(config.connectionTimeout()) > 0) {
            out.add("DOC-TIMEOUTS", Severity.WARNING, "the driver's " + d.connectTimeoutName() + "=" + TimeText.of(d.connectTimeout())
                    + " is longer than connectionTimeout=" + TimeText.of(config.connectionTimeout())
                    + ": a connect outlives the caller's wait and holds a connect slot meanwhile",
                    values(d.connectTimeoutName(), d.connectTimeout(), "connectionTimeout", config.connectionTimeout()),
                    "remove " + d.connectTimeoutName() + " from the URL and driver properties: Sluice sets it from connectionTimeout");
        }
        Duration statement = s.statementTimeout();
        if (statement == null || statement.isZero()) {
            return;
        }
        Duration socket = d.socketTimeout();
        if (socket != null && !socket.isZero() && socket.compareTo(statement) <= 0) {
            out.add("DOC-TIMEOUTS", Severity.WARNING, "socketTimeout=" + TimeText.of(socket) + " is not longer than "
                    + s.statementTimeoutName() + "=" + TimeText.of(statement) + ": a slow query is ended by dropping the connection,"
                    + " not by the server cancelling the statement",
                    values("socketTimeout", socket, s.statementTimeoutName(), statement),
                    "set socketTimeout above " + s.statementTimeoutName() + " (e.g. " + TimeText.of(statement.plusSeconds(10))
                            + "), or leave it unset");
        }
        Duration abandon = config.abandonTimeout();
        if (!abandon.isZero() && abandon.compareTo(statement) <= 0) {
            out.add("DOC-TIMEOUTS", Severity.WARNING, "abandonTimeout=" + TimeText.of(abandon) + " is not longer than "
                    + s.statementTimeoutName() + "=" + TimeText.of(statement) + ": the pool aborts the connection of a query the server"
                    + " would have cancelled cleanly",
                    values("abandonTimeout", abandon, s.statementTimeoutName(), statement),
                    "set abandonTimeout above " + s.statementTimeoutName() + " (e.g. " + TimeText.of(statement.multipliedBy(2)) + ")");
        }
    }
}
