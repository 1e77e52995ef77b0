package dev.sluice.scan;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.expr.ThisExpr;
import java.util.Optional;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scanned sources declare, gathered before any rule runs: which types extend a JDBC
 * interface, and a {@link MethodSummary} of every method, so that a call to a helper in another
 * file is judged by what the helper does.
 */
final class SourceIndex {
    private final Map<String, Set<String>> supertypes = new HashMap<>();
    private final Map<String, MethodSummary> summaries = new HashMap<>();
    private final Map<String, MethodSummary> memberSummaries = new HashMap<>();
    private final Map<String, ResourceKind> declaredKinds = new HashMap<>();

    /** Indexes the declarations of all units, then summarizes their methods (summaries need the declarations). */
    static SourceIndex of(List<CompilationUnit> units) {
        SourceIndex index = new SourceIndex();
        for (CompilationUnit unit : units) {
            for (ClassOrInterfaceDeclaration type : unit.findAll(ClassOrInterfaceDeclaration.class)) {
                Set<String> supers = index.supertypes.computeIfAbsent(type.getNameAsString(), k -> new HashSet<>());
                for (ClassOrInterfaceType t : type.getExtendedTypes()) {
                    supers.add(t.getNameAsString());
                }
                for (ClassOrInterfaceType t : type.getImplementedTypes()) {
                    supers.add(t.getNameAsString());
                }
            }
        }
        TypeOracle oracle = new TypeOracle(index);
        for (CompilationUnit unit : units) {
            for (MethodDeclaration method : unit.findAll(MethodDeclaration.class)) {
                if (method.getBody().isPresent()) {
                    String key = key(method.getNameAsString(), method.getParameters().size());
                    MethodSummary summary = summarize(method, unit, oracle);
                    index.summaries.merge(key, summary, MethodSummary::merge);
                    List<String> owners = typeNames(method);
                    if (!owners.isEmpty()) {
                        index.memberSummaries.merge(owners.get(0) + "#" + key, summary, MethodSummary::merge);
                    }
                }
            }
        }
        return index;
    }

    private static String key(String name, int arity) {
        return name + "/" + arity;
    }

    /**
     * The summary of the helper a call reaches, or null when it is not one of the sources'. An
     * unqualified call looks only in the enclosing classes (an inherited library method of the same
     * name must not borrow a summary); {@code Type.m()} only in that type; {@code obj.m()} in the
     * declared type of {@code obj}, or by name and arity in any class when that type is unknown.
     */
    MethodSummary summaryFor(MethodCallExpr call, java.util.function.Function<String, String> typeOf) {
        String key = key(call.getNameAsString(), call.getArguments().size());
        if (call.getScope().isEmpty() || call.getScope().get() instanceof ThisExpr) {
            for (String type : typeNames(call)) {
                MethodSummary s = memberSummaries.get(type + "#" + key);
                if (s != null) {
                    return s;
                }
            }
            return null;
        }
        Expression scope = Syntax.unwrap(call.getScope().get());
        if (scope instanceof NameExpr name) {
            if (Character.isUpperCase(name.getNameAsString().charAt(0))) {
                return memberSummaries.get(name.getNameAsString() + "#" + key);
            }
            // A variable of a known type reaches that type's method only; a library type (Socket.connect) none.
            String type = typeOf.apply(name.getNameAsString());
            if (type != null) {
                return memberSummaries.get(type + "#" + key);
            }
        }
        return summaries.get(key);
    }

    /** The names of the types enclosing a node, innermost first. */
    static List<String> typeNames(Node node) {
        List<String> names = new java.util.ArrayList<>();
        for (Optional<Node> p = node.getParentNode(); p.isPresent(); p = p.get().getParentNode()) {
            if (p.get() instanceof TypeDeclaration<?> type) {
                names.add(type.getNameAsString());
            }
        }
        return names;
    }

    /** The JDBC kind a type declared in the sources inherits (an interface extending Connection), or null. */
    ResourceKind declaredKind(String simpleName) {
        if (declaredKinds.containsKey(simpleName)) {
            return declaredKinds.get(simpleName);
        }
        ResourceKind found = null;
        Deque<String> todo = new ArrayDeque<>(supertypes.getOrDefault(simpleName, Set.of()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty() && found == null) {
            String next = todo.pop();
            if (seen.add(next)) {
                found = ResourceKind.ofSqlType(next);
                todo.addAll(supertypes.getOrDefault(next, Set.of()));
            }
        }
        declaredKinds.put(simpleName, found);
        return found;
    }

    private static MethodSummary summarize(MethodDeclaration method, CompilationUnit unit, TypeOracle oracle) {
        Variables vars = new Variables(method);
        List<Parameter> params = method.getParameters();
        boolean[] closes = new boolean[params.size()];
        boolean[] escapes = new boolean[params.size()];
        boolean[] endsTx = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Set<String> names = aliases(method, params.get(i).getNameAsString(), vars);
            for (NameExpr occurrence : method.findAll(NameExpr.class)) {
                if (!names.contains(occurrence.getNameAsString())) {
                    continue;
                }
                Use use = Use.classify(occurrence, vars, null);
                switch (use.kind()) {
                    case CLOSE -> closes[i] = true;
                    case RETURN, ESCAPE -> escapes[i] = true;
                    case END_TX -> endsTx[i] = true;
                    default -> { }
                }
            }
        }
        ResourceKind returned = null;
        ResourceKind declaredReturn = oracle.kindOf(method.getType(), unit);
        for (ReturnStmt ret : method.findAll(ReturnStmt.class)) {
            if (ret.getExpression().isEmpty() || Syntax.isDeferred(ret, method)) {
                continue;
            }
            ResourceKind kind = openedBy(ret.getExpression().get(), method, vars);
            if (kind != null) {
                returned = declaredReturn != null ? declaredReturn : kind;
            }
        }
        Set<String> pools = new HashSet<>();
        for (MethodCallExpr call : method.findAll(MethodCallExpr.class)) {
            if (call.getNameAsString().equals("getConnection")
                    && Openers.kind(call, vars::typeName, null) == ResourceKind.CONNECTION
                    && !Syntax.receiverText(call).equals("DriverManager")) {
                pools.add(Syntax.receiverText(call));
            }
        }
        return new MethodSummary(closes, escapes, endsTx, returned, Set.copyOf(pools));
    }

    /** The kind of resource an expression returns if it is freshly opened in this method. */
    private static ResourceKind openedBy(Expression returned, MethodDeclaration method, Variables vars) {
        Expression e = Syntax.unwrap(returned);
        if (e instanceof MethodCallExpr call) {
            return Openers.kind(call, vars::typeName, null);
        }
        if (e instanceof NameExpr name && vars.isLocal(name.getNameAsString()) && !vars.isParameter(name.getNameAsString())) {
            for (VariableDeclarator v : method.findAll(VariableDeclarator.class)) {
                if (v.getNameAsString().equals(name.getNameAsString()) && v.getInitializer().isPresent()
                        && Syntax.unwrap(v.getInitializer().get()) instanceof MethodCallExpr call) {
                    ResourceKind kind = Openers.kind(call, vars::typeName, null);
                    if (kind != null) {
                        return kind;
                    }
                }
            }
            for (AssignExpr assign : method.findAll(AssignExpr.class)) {
                if (name.getNameAsString().equals(Syntax.variableName(assign.getTarget()))
                        && Syntax.unwrap(assign.getValue()) instanceof MethodCallExpr call) {
                    ResourceKind kind = Openers.kind(call, vars::typeName, null);
                    if (kind != null) {
                        return kind;
                    }
                }
            }
        }
        return null;
    }

    /** The variable and the locals it is copied into, transitively. */
    static Set<String> aliases(com.github.javaparser.ast.Node body, String name, Variables vars) {
        Set<String> names = new HashSet<>();
        names.add(name);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (VariableDeclarator v : body.findAll(VariableDeclarator.class)) {
                if (v.getInitializer().isPresent() && names.contains(Syntax.variableName(v.getInitializer().get()))
                        && names.add(v.getNameAsString())) {
                    grew = true;
                }
            }
            for (AssignExpr a : body.findAll(AssignExpr.class)) {
                String target = Syntax.variableName(a.getTarget());
                if (target != null && vars.isLocal(target) && names.contains(Syntax.variableName(a.getValue()))
                        && names.add(target)) {
                    grew = true;
                }
            }
        }
        return names;
    }
}
