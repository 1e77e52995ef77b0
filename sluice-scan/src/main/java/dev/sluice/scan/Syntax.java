package dev.sluice.scan;

import com.github.javaparser.Position;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.TryStmt;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Questions about the syntax tree that every rule asks: where a node is, what a call is named,
 * whether a call hands a resource over to something that closes it.
 */
final class Syntax {
    /** Calls that look at an argument without keeping it: passing a resource to them is not a hand-off. */
    private static final Set<String> OBSERVERS = Set.of("requireNonNull", "println", "print", "printf", "format",
            "valueOf", "toString", "debug", "info", "warn", "warning", "error", "trace", "fine", "finer", "finest",
            "log", "assertNotNull", "assertNull", "assertThat", "assertTrue", "assertFalse", "checkNotNull", "hash", "equals");

    private Syntax() {
    }

    /** The expression without parentheses and casts around it. */
    static Expression unwrap(Expression e) {
        Expression x = e;
        while (true) {
            if (x instanceof EnclosedExpr enclosed) {
                x = enclosed.getInner();
            } else if (x instanceof CastExpr cast) {
                x = cast.getExpression();
            } else {
                return x;
            }
        }
    }

    /** The node's parent, skipping parentheses and casts around an expression. */
    static Optional<Node> parentOf(Expression e) {
        Node child = e;
        Optional<Node> parent = child.getParentNode();
        while (parent.isPresent() && (parent.get() instanceof EnclosedExpr || parent.get() instanceof CastExpr)) {
            child = parent.get();
            parent = child.getParentNode();
        }
        return parent;
    }

    /** The variable name an expression denotes, for {@code x} and {@code this.x}; else null. */
    static String variableName(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof NameExpr name) {
            return name.getNameAsString();
        }
        return null;
    }


    /** The receiver text used to tell pools apart: {@code this.ds} and {@code ds} are the same pool. */
    static String receiverText(MethodCallExpr call) {
        if (call.getScope().isEmpty() || call.getScope().get() instanceof ThisExpr) {
            return "this";
        }
        String text = unwrap(call.getScope().get()).toString();
        return text.startsWith("this.") ? text.substring(5) : text;
    }

    /** Whether a method of this name, given a resource as argument, takes care of closing it. */
    static boolean isClosingName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.contains("close") && !lower.startsWith("is")) || lower.startsWith("release")
                || lower.startsWith("dispose");
    }

    /** Whether the call registers its argument with something that closes it later (a closer, a cleanup list). */
    static boolean isRegistration(MethodCallExpr call) {
        String name = call.getNameAsString().toLowerCase(Locale.ROOT);
        if (name.equals("register") || name.startsWith("registerclose") || name.equals("defer") || name.equals("closelater")
                || name.equals("addcloseable") || name.equals("addresource")) {
            return true;
        }
        if (call.getScope().isPresent()) {
            String receiver = unwrap(call.getScope().get()).toString().toLowerCase(Locale.ROOT);
            return receiver.contains("closer") || receiver.contains("closeable") || receiver.contains("cleanup")
                    || receiver.contains("resources");
        }
        return false;
    }

    /** Whether passing an argument to this call only looks at it. */
    static boolean isObserver(MethodCallExpr call) {
        return OBSERVERS.contains(call.getNameAsString());
    }

    /** The method, constructor or initializer the node belongs to; lambdas belong to their enclosing method. */
    static Optional<BodyDeclaration<?>> enclosingCallable(Node node) {
        Optional<Node> p = node.getParentNode();
        while (p.isPresent()) {
            Node n = p.get();
            if (n instanceof CallableDeclaration<?> || n instanceof InitializerDeclaration) {
                return Optional.of((BodyDeclaration<?>) n);
            }
            p = n.getParentNode();
        }
        return Optional.empty();
    }

    /** Whether the node runs later than the code around it: inside a lambda or an anonymous class, below {@code root}. */
    static boolean isDeferred(Node node, Node root) {
        Optional<Node> p = node.getParentNode();
        while (p.isPresent() && p.get() != root) {
            Node n = p.get();
            if (n instanceof LambdaExpr || (n instanceof ObjectCreationExpr creation && creation.getAnonymousClassBody().isPresent())) {
                return true;
            }
            p = n.getParentNode();
        }
        return false;
    }

    /** The try statement whose finally block holds the node, or null. */
    static TryStmt finallyOwner(Node node, Node root) {
        Node child = node;
        Optional<Node> p = node.getParentNode();
        while (p.isPresent() && child != root) {
            Node n = p.get();
            if (n instanceof TryStmt t && t.getFinallyBlock().isPresent() && t.getFinallyBlock().get() == child) {
                return t;
            }
            child = n;
            p = n.getParentNode();
        }
        return null;
    }

    /**
     * Whether the two nodes lie in different branches of one {@code if}/{@code else} chain or
     * conditional expression, so that one never runs after the other.
     */
    static boolean exclusive(Node a, Node b) {
        Optional<Node> p = a.getParentNode();
        while (p.isPresent()) {
            Node n = p.get();
            if (n instanceof IfStmt branch && branch.getElseStmt().isPresent()) {
                Node then = branch.getThenStmt();
                Node otherwise = branch.getElseStmt().get();
                if ((within(a, then) && within(b, otherwise)) || (within(a, otherwise) && within(b, then))) {
                    return true;
                }
            } else if (n instanceof ConditionalExpr choice) {
                Node then = choice.getThenExpr();
                Node otherwise = choice.getElseExpr();
                if ((within(a, then) && within(b, otherwise)) || (within(a, otherwise) && within(b, then))) {
                    return true;
                }
            }
            p = n.getParentNode();
        }
        return false;
    }

    /** Whether {@code inner} lies within {@code outer} (or is it). */
    static boolean within(Node inner, Node outer) {
        Node n = inner;
        while (n != null) {
            if (n == outer) {
                return true;
            }
            n = n.getParentNode().orElse(null);
        }
        return false;
    }

    /** The nearest enclosing node of a type (without the varargs of {@code Node.findAncestor}). */
    static <T extends Node> Optional<T> ancestor(Node node, Class<T> type) {
        Optional<Node> p = node.getParentNode();
        while (p.isPresent()) {
            if (type.isInstance(p.get())) {
                return Optional.of(type.cast(p.get()));
            }
            p = p.get().getParentNode();
        }
        return Optional.empty();
    }

    static Position begin(Node n) {
        return n.getBegin().orElse(Position.HOME);
    }

    static Position end(Node n) {
        return n.getEnd().orElse(Position.HOME);
    }

    /** Whether {@code a} starts after {@code b} has ended. */
    static boolean after(Node a, Node b) {
        return begin(a).isAfter(end(b));
    }

    static int line(Node n) {
        return begin(n).line;
    }

    static int column(Node n) {
        return begin(n).column;
    }
}
