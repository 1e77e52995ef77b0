package dev.sluice.scan;

/**
 * The rules, with ids that never change meaning: baselines, suppressions and code-scanning
 * alerts refer to them.
 */
public enum Rule {
    SLC001(Severity.WARNING, "pool-bypass-drivermanager",
            "DriverManager.getConnection bypasses the connection pool",
            "A connection opened with DriverManager.getConnection is not pooled, not bounded and not governed by any deadline; take it from the application's pool instead."),
    SLC002(Severity.WARNING, "raw-driver-datasource",
            "A driver's own DataSource or Driver.connect is used directly",
            "PGSimpleDataSource, MariaDbDataSource, DriverManagerDataSource and Driver.connect open a new physical connection per call; wrap them in a pool or use the pool's DataSource."),
    SLC003(Severity.ERROR, "connection-not-closed",
            "A Connection is not closed on every path",
            "A borrowed connection that is not closed on every path, exception paths included, never returns to the pool and slowly exhausts it. Use try-with-resources."),
    SLC004(Severity.ERROR, "statement-not-closed",
            "A Statement is not closed on every path",
            "A Statement, PreparedStatement or CallableStatement that is not closed holds server-side cursors and driver memory until its connection closes. Use try-with-resources."),
    SLC005(Severity.WARNING, "resultset-not-closed",
            "A ResultSet is not closed",
            "A ResultSet that is not closed holds its cursor until its statement closes; reported as a note when that statement is closed on every path."),
    SLC006(Severity.WARNING, "close-on-success-path-only",
            "A resource is closed only on the success path",
            "The close is not in a finally block or try-with-resources, so an exception before it leaks the resource."),
    SLC007(Severity.ERROR, "transaction-not-ended",
            "setAutoCommit(false) without commit and rollback on every path",
            "After setAutoCommit(false) the transaction must be committed on success and rolled back on failure; otherwise locks stay held until the connection is reset."),
    SLC008(Severity.ERROR, "nested-acquisition",
            "A second connection from the same pool while one is held",
            "Taking a second connection from a pool while holding one deadlocks once every connection is held by a thread waiting for its second."),
    SLC009(Severity.WARNING, "connection-in-field",
            "A Connection is stored in a field",
            "A connection kept in a field outlives the unit of work that borrowed it and is shared between threads; borrow it where it is used and close it there.");

    private final Severity severity;
    private final String slug;
    private final String title;
    private final String help;

    Rule(Severity severity, String slug, String title, String help) {
        this.severity = severity;
        this.slug = slug;
        this.title = title;
        this.help = help;
    }

    /** The id used in reports, e.g. {@code SLC003}. */
    public String id() {
        return name();
    }

    /** The severity a finding of this rule has unless the rule says otherwise for a case. */
    public Severity severity() {
        return severity;
    }

    /** A short name in words, e.g. {@code connection-not-closed}. */
    public String slug() {
        return slug;
    }

    /** One line saying what the rule finds. */
    public String title() {
        return title;
    }

    /** Why it matters and what to do. */
    public String help() {
        return help;
    }
}
