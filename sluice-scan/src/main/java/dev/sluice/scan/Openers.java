package dev.sluice.scan;

import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
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
     * {@code stmt.getConnection()} and {@code holder.getConnection()} return a connection that
     * someone else owns; closing it would be the bug.
     */
    private static boolean receiverOwnsConnection(MethodCallExpr call, Function<String, String> typeOf) {
        if (call.getScope().isEmpty()) {
            return false;
        }
        Expression scope = Syntax.unwrap(call.getScope().get());
        if (scope instanceof MethodCallExpr inner) {
            String n = inner.getNameAsString();
            return n.equals("getStatement") || n.equals("getMetaData") || n.toLowerCase(Locale.ROOT).contains("holder");
        }
        String text = scope.toString().toLowerCase(Locale.ROOT);
        if (text.contains("holder")) {
            return true;
        }
        if (scope instanceof NameExpr nameExpr) {
            String type = typeOf.apply(nameExpr.getNameAsString());
            if (type != null) {
                return ResourceKind.ofSqlType(type) != null || type.contains("MetaData") || type.contains("Holder");
            }
        }
        return false;
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
