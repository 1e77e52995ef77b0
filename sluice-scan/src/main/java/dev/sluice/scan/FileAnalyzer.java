package dev.sluice.scan;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.InitializerDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.LambdaExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.stmt.CatchClause;
import com.github.javaparser.ast.stmt.DoStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.ForEachStmt;
import com.github.javaparser.ast.stmt.ForStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.ReturnStmt;
import com.github.javaparser.ast.stmt.SwitchEntry;
import com.github.javaparser.ast.stmt.TryStmt;
import com.github.javaparser.ast.stmt.WhileStmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs every rule over one parsed file. The resource rules follow each opened resource through
 * the method that opened it: where it is closed (a finally block, try-with-resources, a lambda,
 * only on the straight path), whether it is handed over (returned, kept, passed to a closing
 * helper), and what else happens while it is held.
 */
final class FileAnalyzer {
    /** Driver-specific and Spring DataSources that open a physical connection on every call. */
    private static final Set<String> RAW_DATASOURCES = Set.of("PGSimpleDataSource", "PGConnectionPoolDataSource",
            "MariaDbDataSource", "MysqlDataSource", "MysqlConnectionPoolDataSource", "JdbcDataSource", "SQLServerDataSource",
            "OracleDataSource", "DriverManagerDataSource", "SimpleDriverDataSource", "SingleConnectionDataSource",
            "EmbeddedDataSource", "ClientDataSource");

    private final CompilationUnit unit;
    private final String path;
    private final SourceIndex index;
    private final TypeOracle oracle;
    private final List<String> allowedPackages;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Integer> occurrences = new HashMap<>();

    FileAnalyzer(CompilationUnit unit, String path, SourceIndex index, TypeOracle oracle, List<String> allowedPackages) {
        this.unit = unit;
        this.path = path;
        this.index = index;
        this.oracle = oracle;
        this.allowedPackages = allowedPackages;
    }

    List<Finding> run() {
        bypassRules();
        fieldRule();
        for (BodyDeclaration<?> callable : unit.findAll(BodyDeclaration.class)) {
            if (callable instanceof MethodDeclaration m && m.getBody().isPresent()
                    || callable instanceof ConstructorDeclaration || callable instanceof InitializerDeclaration) {
                new CallableAnalysis(callable).run();
            }
        }
        findings.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line()) : a.rule().compareTo(b.rule()));
        return findings;
    }

    private void report(Rule rule, Severity severity, Node at, String message) {
        String member = memberOf(at);
        String text = at.toString().replaceAll("\\s+", " ");
        String key = rule + "|" + member + "|" + text;
        int n = occurrences.merge(key, 1, Integer::sum);
        findings.add(new Finding(rule, severity, path, Syntax.line(at), Syntax.column(at), message,
                Fingerprints.of(rule.id(), path, member, text, n)));
    }

    private static String memberOf(Node at) {
        StringBuilder sb = new StringBuilder();
        Optional<Node> p = Optional.of(at);
        String member = "<field>";
        while (p.isPresent()) {
            Node n = p.get();
            if (n instanceof CallableDeclaration<?> c && member.equals("<field>")) {
                member = c.getNameAsString() + "/" + c.getParameters().size();
            } else if (n instanceof InitializerDeclaration && member.equals("<field>")) {
                member = "<init>";
            } else if (n instanceof TypeDeclaration<?> t) {
                sb.insert(0, t.getNameAsString() + ".");
            }
            p = n.getParentNode();
        }
        return sb + member;
    }

    // --- SLC001, SLC002 -------------------------------------------------------------------------

    private void bypassRules() {
        String pkg = unit.getPackageDeclaration().map(d -> d.getNameAsString()).orElse("");
        boolean allowed = allowedPackages.stream().anyMatch(a -> pkg.equals(a) || pkg.startsWith(a + "."));
        boolean staticImport = unit.getImports().stream().anyMatch(FileAnalyzer::importsDriverManagerStatically);
        for (MethodCallExpr call : unit.findAll(MethodCallExpr.class)) {
            String name = call.getNameAsString();
            if (!allowed && name.equals("getConnection")) {
                String scope = call.getScope().map(s -> Syntax.unwrap(s).toString()).orElse(null);
                if ("DriverManager".equals(scope) || "java.sql.DriverManager".equals(scope) || (scope == null && staticImport)) {
                    report(Rule.SLC001, Rule.SLC001.severity(), call,
                            "DriverManager.getConnection opens an unpooled connection; take it from the pool's DataSource");
                }
            }
            if (name.equals("connect") && call.getArguments().size() == 2) {
                Variables vars = Syntax.enclosingCallable(call).<Variables>map(Variables::new).orElse(null);
                if (vars != null && Openers.isDriver(call, vars::typeName) && !insideDriver(call)) {
                    report(Rule.SLC002, Rule.SLC002.severity(), call,
                            "Driver.connect opens a physical connection around the pool");
                }
            }
        }
        for (ObjectCreationExpr creation : unit.findAll(ObjectCreationExpr.class)) {
            String type = creation.getType().getNameAsString();
            if (RAW_DATASOURCES.contains(type) && creation.getAnonymousClassBody().isEmpty()) {
                report(Rule.SLC002, Rule.SLC002.severity(), creation,
                        "new " + type + "() is a driver DataSource without a pool: every getConnection opens a physical connection");
            }
        }
    }

    /** A Driver that wraps another forwards connect to it: the caller of the wrapper opens the connection, not the wrapper. */
    private static boolean insideDriver(Node node) {
        Optional<ClassOrInterfaceDeclaration> type = Syntax.ancestor(node, ClassOrInterfaceDeclaration.class);
        return type.isPresent() && type.get().getImplementedTypes().stream().anyMatch(t -> t.getNameAsString().equals("Driver"));
    }

    private static boolean importsDriverManagerStatically(ImportDeclaration imp) {
        return imp.isStatic() && (imp.getNameAsString().equals("java.sql.DriverManager.getConnection")
                || imp.isAsterisk() && imp.getNameAsString().equals("java.sql.DriverManager"));
    }

    // --- SLC009 ---------------------------------------------------------------------------------

    private void fieldRule() {
        ConnectionFields.check(unit, oracle, (at, message) -> report(Rule.SLC009, Rule.SLC009.severity(), at, message));
    }

    // --- SLC003 to SLC008 -----------------------------------------------------------------------

    private enum Verdict { CLOSED, HANDED_OFF, UNCLOSED, SUCCESS_PATH_ONLY }

    /** One opened resource held in a local variable. */
    private static final class Acquisition {
        final ResourceKind kind;
        final MethodCallExpr call;
        final String variable;
        final Node node;
        final boolean tryWithResources;
        Verdict verdict;
        String detail = "";
        Node holdEnd;

        Acquisition(ResourceKind kind, MethodCallExpr call, String variable, Node node, boolean tryWithResources) {
            this.kind = kind;
            this.call = call;
            this.variable = variable;
            this.node = node;
            this.tryWithResources = tryWithResources;
        }
    }

    private final class CallableAnalysis {
        private final BodyDeclaration<?> callable;
        private final Variables vars;
        private final List<Acquisition> acquisitions = new ArrayList<>();

        CallableAnalysis(BodyDeclaration<?> callable) {
            this.callable = callable;
            this.vars = new Variables(callable);
        }

        void run() {
            for (MethodCallExpr call : callable.findAll(MethodCallExpr.class)) {
                if (Syntax.enclosingCallable(call).orElse(null) != callable) {
                    continue;
                }
                ResourceKind kind = Openers.kind(call, vars::typeName, index);
                if (kind != null) {
                    track(call, kind);
                }
            }
            for (Acquisition a : acquisitions) {
                judge(a);
            }
            for (Acquisition a : acquisitions) {
                reportVerdict(a);
            }
            nestedAcquisitions();
            transactions();
        }

        private void track(MethodCallExpr call, ResourceKind kind) {
            Node sink = Syntax.parentOf(call).orElse(null);
            if (sink instanceof VariableDeclarator d && d.getInitializer().map(Syntax::unwrap).orElse(null) == call) {
                if (d.getParentNode().filter(FieldDeclaration.class::isInstance).isPresent()) {
                    return;
                }
                boolean twr = d.getParentNode().flatMap(Node::getParentNode).filter(TryStmt.class::isInstance).isPresent();
                acquisitions.add(new Acquisition(kind, call, d.getNameAsString(), d, twr));
            } else if (sink instanceof AssignExpr assign && Syntax.unwrap(assign.getValue()) == call) {
                String name = Syntax.variableName(assign.getTarget());
                if (name != null && vars.isLocal(name)) {
                    acquisitions.add(new Acquisition(kind, call, name, assign, false));
                }
                // Stored in a field: SLC009 for a connection; any other resource now belongs to the object.
            } else if (sink instanceof MethodCallExpr outer && outer.getScope().map(Syntax::unwrap).orElse(null) == call) {
                if (!outer.getNameAsString().equals("close") && !outer.getNameAsString().equals("closeOnCompletion")) {
                    chainedLeak(call, kind);
                }
            } else if (sink instanceof MethodCallExpr outer) {
                int position = outer.getArguments().indexOf(findArgument(outer, call));
                MethodSummary helper = index.summaryFor(outer, vars::typeName);
                if (!Syntax.isClosingName(outer.getNameAsString()) && !Syntax.isRegistration(outer) && helper != null
                        && position >= 0 && !helper.closes(position) && !helper.escapes(position)) {
                    unclosed(kind, call, call, kind.label() + " opened here is passed to " + outer.getNameAsString()
                            + "(), which does not close it, and is never closed");
                }
            } else if (sink instanceof ExpressionStmt stmt && stmt.getParentNode().filter(LambdaExpr.class::isInstance).isEmpty()) {
                unclosed(kind, call, call, kind.label() + " opened here is discarded without being closed");
            }
        }

        private Expression findArgument(MethodCallExpr outer, MethodCallExpr call) {
            for (Expression arg : outer.getArguments()) {
                if (Syntax.unwrap(arg) == call) {
                    return arg;
                }
            }
            return null;
        }

        private void chainedLeak(MethodCallExpr call, ResourceKind kind) {
            if (kind == ResourceKind.RESULT_SET) {
                Severity severity = statementSeverity(call);
                if (severity != null) {
                    report(Rule.SLC005, severity, call, "ResultSet from " + call.getNameAsString() + "() is used and never closed"
                            + (severity == Severity.NOTE ? "; closing its statement closes it" : ""));
                }
                return;
            }
            unclosed(kind, call, call, kind.label() + " from " + call.getNameAsString() + "() is used and never closed");
        }

        private void unclosed(ResourceKind kind, MethodCallExpr call, Node at, String message) {
            if (kind == ResourceKind.RESULT_SET) {
                Severity severity = statementSeverity(call);
                if (severity != null) {
                    report(Rule.SLC005, severity, at, message + (severity == Severity.NOTE ? "; closing its statement closes it" : ""));
                }
                return;
            }
            report(kind.unclosedRule(), kind.unclosedRule().severity(), at, message);
        }

        /**
         * A ResultSet left open is harmless when its statement is closed on every path (a note),
         * already covered when the statement itself leaks (nothing), a warning otherwise.
         */
        private Severity statementSeverity(MethodCallExpr resultCall) {
            Optional<Expression> scope = resultCall.getScope().map(Syntax::unwrap);
            if (scope.isEmpty() || !(scope.get() instanceof NameExpr name)) {
                return scope.isPresent() && scope.get() instanceof MethodCallExpr ? null : Rule.SLC005.severity();
            }
            Acquisition statement = null;
            for (Acquisition a : acquisitions) {
                if (a.variable.equals(name.getNameAsString()) && Syntax.begin(a.call).isBefore(Syntax.begin(resultCall))) {
                    statement = a;
                }
            }
            if (statement == null) {
                return Rule.SLC005.severity();
            }
            if (statement.verdict == null) {
                judge(statement);
            }
            return switch (statement.verdict) {
                case CLOSED, HANDED_OFF -> Severity.NOTE;
                default -> null;
            };
        }

        private void judge(Acquisition a) {
            if (a.verdict != null) {
                return;
            }
            if (a.tryWithResources) {
                a.verdict = Verdict.CLOSED;
                a.holdEnd = Syntax.ancestor(a.node, TryStmt.class).map(TryStmt::getTryBlock).map(b -> (Node) b).orElse(null);
                return;
            }
            Set<String> names = SourceIndex.aliases(callable, a.variable, vars);
            Node windowEnd = null;
            for (AssignExpr assign : callable.findAll(AssignExpr.class)) {
                // An assignment in the other branch of an if/else never follows this one: it opens an alternative, not a successor.
                if (assign != a.node && a.variable.equals(Syntax.variableName(assign.getTarget())) && Syntax.after(assign, a.node)
                        && !Syntax.exclusive(assign, a.node)
                        && (windowEnd == null || Syntax.begin(assign).isBefore(Syntax.begin(windowEnd)))) {
                    windowEnd = assign;
                }
            }
            List<Node> closes = new ArrayList<>();
            boolean handedOff = false;
            for (NameExpr occurrence : callable.findAll(NameExpr.class)) {
                if (!names.contains(occurrence.getNameAsString()) || !Syntax.after(occurrence, a.node)
                        || (windowEnd != null && !Syntax.begin(occurrence).isBefore(Syntax.begin(windowEnd)))) {
                    continue;
                }
                Use use = Use.classify(occurrence, vars, index);
                switch (use.kind()) {
                    case CLOSE -> closes.add(use.node());
                    case RETURN, ESCAPE -> handedOff = true;
                    default -> { }
                }
            }
            a.holdEnd = closes.isEmpty() ? null : closes.get(0);
            if (handedOff) {
                a.verdict = Verdict.HANDED_OFF;
                return;
            }
            if (closes.isEmpty()) {
                a.verdict = Verdict.UNCLOSED;
                a.detail = windowEnd != null ? " before it is reassigned at line " + Syntax.line(windowEnd) : "";
                return;
            }
            for (Node close : closes) {
                if (close instanceof TryStmt || close instanceof VariableDeclarator || Syntax.finallyOwner(close, callable) != null
                        || Syntax.isDeferred(close, callable) || closedInTryAndCatch(close, closes)) {
                    a.verdict = Verdict.CLOSED;
                    return;
                }
            }
            Node firstClose = closes.get(0);
            for (ReturnStmt ret : callable.findAll(ReturnStmt.class)) {
                if (Syntax.after(ret, a.node) && Syntax.begin(ret).isBefore(Syntax.begin(firstClose))
                        && !Syntax.isDeferred(ret, callable)
                        && !(ret.getExpression().isPresent() && names.contains(Syntax.variableName(ret.getExpression().get())))) {
                    a.verdict = Verdict.UNCLOSED;
                    a.detail = " when the method returns at line " + Syntax.line(ret);
                    return;
                }
            }
            boolean everyCloseConditional = true;
            for (Node close : closes) {
                if (!conditional(close, a.node, names)) {
                    everyCloseConditional = false;
                }
            }
            if (everyCloseConditional) {
                a.verdict = Verdict.UNCLOSED;
                a.detail = " (it is closed only on some paths, at line " + Syntax.line(firstClose) + ")";
                return;
            }
            boolean risky = false;
            for (MethodCallExpr call : callable.findAll(MethodCallExpr.class)) {
                if (Syntax.after(call, a.node) && Syntax.begin(call).isBefore(Syntax.begin(firstClose)) && !Syntax.within(call, firstClose)) {
                    risky = true;
                }
            }
            a.verdict = risky ? Verdict.SUCCESS_PATH_ONLY : Verdict.CLOSED;
            a.detail = " (closed at line " + Syntax.line(firstClose) + ")";
        }

        /** A close at the end of a try block and another in its catch clause cover both paths. */
        private boolean closedInTryAndCatch(Node close, List<Node> closes) {
            Optional<CatchClause> clause = Syntax.ancestor(close, CatchClause.class);
            if (clause.isEmpty()) {
                return false;
            }
            Optional<TryStmt> owner = clause.get().getParentNode().filter(TryStmt.class::isInstance).map(TryStmt.class::cast);
            return owner.isPresent() && closes.stream().anyMatch(c -> Syntax.within(c, owner.get().getTryBlock()));
        }

        /** Whether the close sits in a branch or loop that the acquisition is not in (a null check aside). */
        private boolean conditional(Node close, Node acquisition, Set<String> names) {
            Optional<Node> p = close.getParentNode();
            while (p.isPresent() && p.get() != callable) {
                Node n = p.get();
                boolean branch = n instanceof IfStmt || n instanceof SwitchEntry || n instanceof CatchClause
                        || n instanceof ConditionalExpr || n instanceof ForStmt || n instanceof ForEachStmt
                        || n instanceof WhileStmt || n instanceof DoStmt;
                if (branch && !Syntax.within(acquisition, n)) {
                    if (n instanceof IfStmt ifStmt && guardsItself(ifStmt.getCondition(), names)) {
                        p = n.getParentNode();
                        continue;
                    }
                    return true;
                }
                p = n.getParentNode();
            }
            return false;
        }

        private boolean guardsItself(Expression condition, Set<String> names) {
            String text = condition.toString();
            return names.stream().anyMatch(text::contains) && (text.contains("null") || text.contains("isClosed"));
        }

        private void reportVerdict(Acquisition a) {
            String what = a.kind.label() + " '" + a.variable + "'";
            if (a.verdict == Verdict.UNCLOSED) {
                unclosed(a.kind, a.call, a.call, what + " opened here is not closed" + (a.detail.isEmpty() ? " on any path" : a.detail));
            } else if (a.verdict == Verdict.SUCCESS_PATH_ONLY) {
                if (a.kind == ResourceKind.RESULT_SET && statementSeverity(a.call) != Rule.SLC005.severity()) {
                    return;
                }
                report(Rule.SLC006, Rule.SLC006.severity(), a.call, what + " is closed only on the success path" + a.detail
                        + "; an exception before the close leaks it: use try-with-resources or close it in finally");
            }
        }

        private void nestedAcquisitions() {
            Set<Node> reported = new HashSet<>();
            for (Acquisition a : acquisitions) {
                if (a.kind != ResourceKind.CONNECTION || !a.call.getNameAsString().equals("getConnection")) {
                    continue;
                }
                String pool = Syntax.receiverText(a.call);
                if (pool.equals("DriverManager") || pool.equals("java.sql.DriverManager")) {
                    continue;
                }
                for (MethodCallExpr other : callable.findAll(MethodCallExpr.class)) {
                    if (other == a.call || !Syntax.after(other, a.call) || Syntax.isDeferred(other, callable)
                            || !held(a, other) || reported.contains(other)) {
                        continue;
                    }
                    boolean second = other.getNameAsString().equals("getConnection") && Syntax.receiverText(other).equals(pool)
                            && Openers.kind(other, vars::typeName, null) == ResourceKind.CONNECTION;
                    MethodSummary helper = other.getScope().isEmpty() || Syntax.receiverText(other).equals("this")
                            ? index.summaryFor(other, vars::typeName) : null;
                    boolean viaHelper = !second && helper != null && helper.acquiresFrom().contains(pool);
                    if (second || viaHelper) {
                        reported.add(other);
                        report(Rule.SLC008, Rule.SLC008.severity(), other, (second ? "A second connection is taken from '" + pool + "'"
                                : other.getNameAsString() + "() takes a second connection from '" + pool + "'")
                                + " while '" + a.variable + "' (line " + Syntax.line(a.call) + ") is still held: this deadlocks when the pool is exhausted");
                    }
                }
            }
        }

        private boolean held(Acquisition a, Node other) {
            if (a.tryWithResources) {
                return a.holdEnd != null && Syntax.within(other, a.holdEnd);
            }
            return a.holdEnd == null || Syntax.begin(other).isBefore(Syntax.begin(a.holdEnd));
        }

        private void transactions() {
            for (MethodCallExpr call : callable.findAll(MethodCallExpr.class)) {
                if (!call.getNameAsString().equals("setAutoCommit") || call.getArguments().size() != 1
                        || !(call.getArgument(0) instanceof BooleanLiteralExpr literal) || literal.getValue()
                        || Syntax.enclosingCallable(call).orElse(null) != callable) {
                    continue;
                }
                String name = call.getScope().map(Syntax::variableName).orElse(null);
                if (name == null || !vars.isLocal(name) || vars.isParameter(name)) {
                    continue;
                }
                boolean commit = false;
                boolean rollback = false;
                boolean handedOff = false;
                for (NameExpr occurrence : callable.findAll(NameExpr.class)) {
                    if (!SourceIndex.aliases(callable, name, vars).contains(occurrence.getNameAsString())) {
                        continue;
                    }
                    Use use = Use.classify(occurrence, vars, index);
                    if (use.kind() == Use.Kind.END_TX) {
                        String n = use.node() instanceof MethodCallExpr m ? m.getNameAsString().toLowerCase(java.util.Locale.ROOT) : "";
                        boolean both = !n.contains("commit") && !n.contains("rollback");
                        commit |= both || n.contains("commit");
                        rollback |= both || n.contains("rollback");
                    } else if (use.kind() == Use.Kind.RETURN
                            || (use.kind() == Use.Kind.ESCAPE && use.node() instanceof AssignExpr)) {
                        handedOff = true;
                    }
                }
                if (!handedOff && !(commit && rollback)) {
                    String missing = !commit && !rollback ? "neither committed nor rolled back"
                            : !commit ? "never committed" : "not rolled back when the work fails";
                    report(Rule.SLC007, Rule.SLC007.severity(), call, "Transaction begun on '" + name + "' is " + missing
                            + "; commit on success and roll back in catch or finally");
                }
            }
        }
    }
}
