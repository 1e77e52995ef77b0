package dev.sluice.scan;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * SLC009: a {@code Connection} kept in a field outlives the work that borrowed it. Classes whose
 * job is to carry a connection are left alone: wrappers, proxies, holders, handles, and classes
 * that close the field themselves.
 */
final class ConnectionFields {
    private ConnectionFields() {
    }

    /** Reports, through {@code report}, each connection field of the file's classes that no owner explains. */
    static void check(CompilationUnit unit, TypeOracle oracle, BiConsumer<Node, String> report) {
        for (ClassOrInterfaceDeclaration type : unit.findAll(ClassOrInterfaceDeclaration.class)) {
            if (type.isInterface() || ownsResources(type)) {
                continue;
            }
            for (FieldDeclaration field : type.getFields()) {
                for (VariableDeclarator v : field.getVariables()) {
                    if (oracle.kindOf(v.getType(), unit) == ResourceKind.CONNECTION && !closesField(type, v.getNameAsString())) {
                        report.accept(fieldOpener(type, v), "Connection kept in field '" + v.getNameAsString()
                                + "' outlives the work that borrowed it and is shared between threads");
                    }
                }
            }
        }
    }

    /** A class that is itself closeable or a JDBC/DataSource wrapper is expected to hold connections. */
    private static boolean ownsResources(ClassOrInterfaceDeclaration type) {
        List<ClassOrInterfaceType> supers = new ArrayList<>(type.getImplementedTypes());
        supers.addAll(type.getExtendedTypes());
        for (ClassOrInterfaceType t : supers) {
            String n = t.getNameAsString();
            // A proxy's InvocationHandler, a holder or a handle exists to carry one connection for its owner.
            if (n.equals("AutoCloseable") || n.equals("Closeable") || n.endsWith("DataSource") || ResourceKind.ofSqlType(n) != null
                    || n.equals("InvocationHandler") || n.endsWith("Holder") || n.endsWith("HolderSupport") || n.endsWith("Handle")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a method of the class closes the field ({@code field.close()}, {@code close(field)}):
     * a task that is handed a connection and closes it when it runs owns it for that time.
     */
    private static boolean closesField(ClassOrInterfaceDeclaration type, String field) {
        for (MethodCallExpr call : type.findAll(MethodCallExpr.class)) {
            if (call.getNameAsString().equals("close") && call.getScope().isPresent()
                    && field.equals(Syntax.variableName(call.getScope().get()))) {
                return true;
            }
            if (Syntax.isClosingName(call.getNameAsString())
                    && call.getArguments().stream().anyMatch(arg -> field.equals(Syntax.variableName(arg)))) {
                return true;
            }
        }
        return false;
    }

    /** Where a connection field is filled from a call that opens one, else the field itself. */
    private static Node fieldOpener(ClassOrInterfaceDeclaration type, VariableDeclarator field) {
        if (field.getInitializer().isPresent() && Syntax.unwrap(field.getInitializer().get()) instanceof MethodCallExpr call) {
            return call;
        }
        for (AssignExpr assign : type.findAll(AssignExpr.class)) {
            Expression target = Syntax.unwrap(assign.getTarget());
            String name = target instanceof NameExpr n ? n.getNameAsString()
                    : target.isFieldAccessExpr() ? target.asFieldAccessExpr().getNameAsString() : null;
            if (field.getNameAsString().equals(name) && Syntax.unwrap(assign.getValue()) instanceof MethodCallExpr call
                    && call.getNameAsString().equals("getConnection")) {
                return call;
            }
        }
        return field;
    }
}
