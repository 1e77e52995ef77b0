package dev.sluice.scan;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.ArrayInitializerExpr;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import java.util.Optional;

/**
 * What one occurrence of a resource variable does with the resource: the vocabulary in which
 * both the rules and the helper summaries are written.
 *
 * @param kind  the kind of use
 * @param node  the call or statement that makes it
 * @param alias for {@link Kind#ALIAS}, the variable the resource is copied into
 */
record Use(Kind kind, Node node, String alias) {
    enum Kind {
        /** {@code x.close()}, a closing hand-off, try-with-resources on the name, {@code closeOnCompletion}. */
        CLOSE,
        /** Returned to the caller. */
        RETURN,
        /** Kept or passed on: a field, a constructor, a method that is not known to leave it alone. */
        ESCAPE,
        /** Copied into another local variable. */
        ALIAS,
        /** {@code x.commit()} / {@code x.rollback()} or a helper that does one of them. */
        END_TX,
        /** Anything else: calling a method on it, comparing it. */
        OTHER
    }

    static Use classify(NameExpr occurrence, Variables vars, SourceIndex index) {
        Optional<Node> parent = Syntax.parentOf(occurrence);
        if (parent.isEmpty()) {
            return new Use(Kind.OTHER, occurrence, null);
        }
        Node p = parent.get();
        if (p instanceof MethodCallExpr call && call.getScope().isPresent()
                && Syntax.unwrap(call.getScope().get()) == occurrence) {
            String name = call.getNameAsString();
            if (name.equals("close") || name.equals("closeOnCompletion") || name.equals("abort")) {
                return new Use(Kind.CLOSE, call, null);
            }
            if (name.equals("commit") || name.equals("rollback")) {
                return new Use(Kind.END_TX, call, null);
            }
            return new Use(Kind.OTHER, call, null);
        }
        if (p instanceof MethodCallExpr call) {
            int position = argumentIndex(call, occurrence);
            if (position >= 0) {
                return classifyArgument(call, position, vars, index);
            }
            return new Use(Kind.OTHER, call, null);
        }
        if (p instanceof TryStmt) {
            return new Use(Kind.CLOSE, p, null);
        }
        if (p instanceof ReturnStmt || p instanceof LambdaExpr
                || (p instanceof ExpressionStmt && p.getParentNode().filter(LambdaExpr.class::isInstance).isPresent())) {
            return new Use(Kind.RETURN, p, null);
        }
        if (p instanceof ObjectCreationExpr || p instanceof ArrayInitializerExpr) {
            return new Use(Kind.ESCAPE, p, null);
        }
        if (p instanceof AssignExpr assign && Syntax.unwrap(assign.getValue()) == occurrence) {
            Expression target = assign.getTarget();
            String name = Syntax.variableName(target);
            if (name != null && vars.isLocal(name)) {
                return new Use(Kind.ALIAS, assign, name);
            }
            return new Use(Kind.ESCAPE, assign, null);
        }
        if (p instanceof VariableDeclarator declarator) {
            boolean resource = declarator.getParentNode().flatMap(Node::getParentNode).filter(TryStmt.class::isInstance).isPresent();
            if (resource) {
                return new Use(Kind.CLOSE, declarator, null);
            }
            if (declarator.getParentNode().filter(com.github.javaparser.ast.body.FieldDeclaration.class::isInstance).isPresent()) {
                return new Use(Kind.ESCAPE, declarator, null);
            }
            return new Use(Kind.ALIAS, declarator, declarator.getNameAsString());
        }
        return new Use(Kind.OTHER, p, null);
    }

    private static Use classifyArgument(MethodCallExpr call, int position, Variables vars, SourceIndex index) {
        String name = call.getNameAsString();
        if (Syntax.isClosingName(name) || Syntax.isRegistration(call)) {
            return new Use(Kind.CLOSE, call, null);
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("commit") || lower.contains("rollback")) {
            return new Use(Kind.END_TX, call, null);
        }
        if (Syntax.isObserver(call)) {
            return new Use(Kind.OTHER, call, null);
        }
        MethodSummary helper = index == null ? null : index.summaryFor(call, vars::typeName);
        if (helper != null) {
            if (helper.closes(position)) {
                return new Use(Kind.CLOSE, call, null);
            }
            if (helper.escapes(position)) {
                return new Use(Kind.ESCAPE, call, null);
            }
            if (helper.endsTransaction(position)) {
                return new Use(Kind.END_TX, call, null);
            }
            return new Use(Kind.OTHER, call, null);
        }
        return new Use(Kind.ESCAPE, call, null);
    }

    private static int argumentIndex(MethodCallExpr call, NameExpr occurrence) {
        for (int i = 0; i < call.getArguments().size(); i++) {
            if (Syntax.unwrap(call.getArgument(i)) == occurrence) {
                return i;
            }
        }
        return -1;
    }
}
