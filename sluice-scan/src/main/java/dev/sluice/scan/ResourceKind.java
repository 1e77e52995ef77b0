package dev.sluice.scan;

/** The JDBC objects whose lifetime the scanner follows. */
enum ResourceKind {
    CONNECTION("Connection", Rule.SLC003),
    STATEMENT("Statement", Rule.SLC004),
    RESULT_SET("ResultSet", Rule.SLC005);

    private final String label;
    private final Rule unclosedRule;

    ResourceKind(String label, Rule unclosedRule) {
        this.label = label;
        this.unclosedRule = unclosedRule;
    }

    String label() {
        return label;
    }

    /** The rule that reports this kind of resource left open. */
    Rule unclosedRule() {
        return unclosedRule;
    }

    /** The kind a java.sql type name stands for, or null. */
    static ResourceKind ofSqlType(String simpleName) {
        switch (simpleName) {
            case "Connection":
                return CONNECTION;
            case "Statement":
            case "PreparedStatement":
            case "CallableStatement":
                return STATEMENT;
            case "ResultSet":
                return RESULT_SET;
            default:
                return null;
        }
    }
}
