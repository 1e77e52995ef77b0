package dev.sluice.scan;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.type.UnknownType;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Which calls open a JDBC resource that the caller must close. Names decide for the JDBC API
 * itself; a helper in the scanned sources decides by its summary (does it return a resource it
 * opened, or one it keeps?).
 */
final class Openers {
    private static final Set<String> STATEMENT_OPENERS = Set.of("createStatement", "prepareStatement", "prepareCall");
    private static final Set<String> RESULT_OPENERS = Set.of("executeQuery", "getResultSet", "getGeneratedKeys");
    /** DatabaseMetaData methods that return a ResultSet the caller owns. */
    private static final Set<String> METADATA_RESULTS = Set.of("getTables", "getColumns", "getPrimaryKeys", "getIndexInfo",
            "getSchemas", "getCatalogs", "getProcedures", "getProcedureColumns", "getFunctions", "getFunctionColumns",
            "getTypeInfo", "getImportedKeys", "getExportedKeys", "getCrossReference", "getTableTypes", "getBestRowIdentifier",
            "getVersionColumns", "getUDTs", "getSuperTypes", "getSuperTables", "getAttributes", "getClientInfoProperties",
            "getPseudoColumns", "getColumnPrivileges", "getTablePrivileges");

    private Openers() {
    }

    /**
     * The kind of resource the call opens, or null.
     *
     * @param typeOf   the simple type name a variable was declared with (null when unknown)
     * @param index    the summaries of helper methods, or null to judge by names only
     */
    static ResourceKind kind(MethodCallExpr call, Function<String, String> typeOf, SourceIndex index) {
        String name = call.getNameAsString();
        int arity = call.getArguments().size();
        boolean local = call.getScope().isEmpty() || call.getScope().get() instanceof ThisExpr;
        if (index != null && local) {
            MethodSummary helper = index.summaryFor(call, typeOf);
            if (helper != null) {
                return helper.returnsNew();
            }
        }
        if (name.equals("getConnection")) {
            return receiverOwnsConnection(call, typeOf) ? null : ResourceKind.CONNECTION;
        }
        if (name.equals("connect") && arity == 2 && isDriver(call, typeOf)) {
            return ResourceKind.CONNECTION;
        }
        if (STATEMENT_OPENERS.contains(name)) {
            return ResourceKind.STATEMENT;
        }
        if (RESULT_OPENERS.contains(name)) {
            return ResourceKind.RESULT_SET;
        }
        if (METADATA_RESULTS.contains(name) && isMetaData(call, typeOf)) {
            return ResourceKind.RESULT_SET;
        }
        if (index != null && !local) {
            MethodSummary helper = index.summaryFor(call, typeOf);
            if (helper != null) {
                return helper.returnsNew();
            }
        }
        return null;
    }

    /**
     * {@code stmt.getConnection()}, {@code holder.getConnection()} and {@code handle.getConnection()} return a connection that
     * someone else owns; closing it would be the bug.
     */
    private static boolean receiverOwnsConnection(MethodCallExpr call, Function<String, String> typeOf) {
        if (call.getScope().isEmpty()) {
            return false;
        }
        Expression scope = Syntax.unwrap(call.getScope().get());
        if (scope instanceof MethodCallExpr inner) {
            String n = inner.getNameAsString();
            String lower = n.toLowerCase(Locale.ROOT);
            return n.equals("getStatement") || n.equals("getMetaData") || lower.contains("holder") || lower.contains("handle");
        }
        // Holders (Spring's ConnectionHolder) and handles (Jdbi's Handle, Spring's ConnectionHandle) lend their connection.
        String text = scope.toString().toLowerCase(Locale.ROOT);
        if (text.contains("holder") || text.contains("handle")) {
            return true;
        }
        if (scope instanceof NameExpr nameExpr) {
            String type = typeOf.apply(nameExpr.getNameAsString());
            if (type == null && isUntypedLambdaParameter(nameExpr)) {
                type = resolvedSimpleName(nameExpr);
                if (type == null) {
                    // Callbacks hand their lambdas a statement or a result set far more often than a
                    // DataSource, and a type nothing resolves is not taken for a resource anywhere else.
                    return true;
                }
            }
            if (type != null) {
                return ResourceKind.ofSqlType(type) != null || type.contains("MetaData") || type.contains("Holder") || type.contains("Handle");
            }
        }
        return false;
    }

    /** {@code ps -> ps.getConnection()}: a lambda parameter whose type only the target interface gives. */
    private static boolean isUntypedLambdaParameter(NameExpr name) {
        String n = name.getNameAsString();
        for (Node p = name.getParentNode().orElse(null); p != null; p = p.getParentNode().orElse(null)) {
            if (p instanceof LambdaExpr lambda) {
                for (Parameter parameter : lambda.getParameters()) {
                    if (parameter.getNameAsString().equals(n)) {
                        return parameter.getType() instanceof UnknownType;
                    }
                }
            }
        }
        return false;
    }

    /** The simple name of the expression's type as the symbol solver infers it, or null. */
    private static String resolvedSimpleName(Expression e) {
        try {
            String described = e.calculateResolvedType().describe();
            int generic = described.indexOf('<');
            String raw = generic < 0 ? described : described.substring(0, generic);
            return raw.substring(raw.lastIndexOf('.') + 1);
        } catch (RuntimeException | StackOverflowError unresolved) {
            return null;
        }
    }

    static boolean isDriver(MethodCallExpr call, Function<String, String> typeOf) {
        if (call.getScope().isEmpty()) {
            return false;
        }
        Expression scope = Syntax.unwrap(call.getScope().get());
        if (scope instanceof ObjectCreationExpr creation) {
            return creation.getType().getNameAsString().endsWith("Driver");
        }
        if (scope instanceof MethodCallExpr inner) {
            return inner.getNameAsString().equals("getDriver");
        }
        if (scope instanceof NameExpr nameExpr) {
            String type = typeOf.apply(nameExpr.getNameAsString());
            return type != null && type.endsWith("Driver");
        }
        return false;
    }

    private static boolean isMetaData(MethodCallExpr call, Function<String, String> typeOf) {
        if (call.getScope().isEmpty()) {
            return false;
        }
        Expression scope = Syntax.unwrap(call.getScope().get());
        if (scope instanceof MethodCallExpr inner) {
            return inner.getNameAsString().equals("getMetaData");
        }
        if (scope instanceof NameExpr nameExpr) {
            String type = typeOf.apply(nameExpr.getNameAsString());
            return type != null ? type.equals("DatabaseMetaData")
                    : nameExpr.getNameAsString().toLowerCase(Locale.ROOT).contains("meta");
        }
        return false;
    }
}
