package dev.sluice.scan;

import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.resolution.types.ResolvedReferenceType;
import com.github.javaparser.resolution.types.ResolvedType;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which JDBC resource, if any, a declared type stands for. Resolution is best effort, in order
 * of cost: the java.sql names and the file's imports; the types declared in the scanned sources
 * (an interface extending Connection); then the symbol solver, which also sees the libraries on
 * {@code --classpath}. A type nothing can resolve is simply not a resource: a file never fails
 * because a library is missing.
 */
final class TypeOracle {
    /** Types that are never worth a trip through the symbol solver. */
    private static final Set<String> PLAIN = Set.of("String", "Object", "Integer", "Long", "Boolean", "List", "Map", "Set",
            "Optional", "Collection", "DataSource", "Driver", "Properties", "Exception", "SQLException", "Runnable",
            "BigDecimal", "Duration", "Instant", "LocalDate", "LocalDateTime", "Iterator", "Iterable", "Stream", "Supplier",
            "Function", "Consumer", "DatabaseMetaData", "ResultSetMetaData", "Logger", "Thread", "Class", "Void");

    private final SourceIndex index;
    private final Map<String, ResourceKind> solved = new HashMap<>();

    TypeOracle(SourceIndex index) {
        this.index = index;
    }

    /** The resource kind of a declared type in {@code unit}, or null. */
    ResourceKind kindOf(Type type, CompilationUnit unit) {
        if (!(type instanceof ClassOrInterfaceType cls)) {
            return null;
        }
        String simple = cls.getNameAsString();
        String written = cls.getNameWithScope();
        if (written.startsWith("java.sql.")) {
            return ResourceKind.ofSqlType(simple);
        }
        ResourceKind direct = ResourceKind.ofSqlType(simple);
        if (direct != null) {
            return importsOtherThanJdbc(unit, simple) ? null : direct;
        }
        if (PLAIN.contains(simple)) {
            return null;
        }
        ResourceKind declared = index.declaredKind(simple);
        if (declared != null) {
            return declared;
        }
        return solve(cls, unit);
    }

    /** Whether the file imports a type of this simple name from somewhere other than java.sql. */
    private static boolean importsOtherThanJdbc(CompilationUnit unit, String simple) {
        if (unit == null) {
            return false;
        }
        for (ImportDeclaration imp : unit.getImports()) {
            if (!imp.isStatic() && !imp.isAsterisk() && imp.getNameAsString().endsWith("." + simple)
                    && !imp.getNameAsString().equals("java.sql." + simple)) {
                return true;
            }
        }
        return false;
    }

    private ResourceKind solve(ClassOrInterfaceType cls, CompilationUnit unit) {
        if (unit == null || unit.getSymbolResolver() == null) {
            return null;
        }
        String key = cls.getNameWithScope() + "@" + unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("")
                + "#" + unit.getImports().hashCode();
        if (solved.containsKey(key)) {
            return solved.get(key);
        }
        ResourceKind kind = null;
        try {
            ResolvedType resolved = cls.resolve();
            if (resolved.isReferenceType()) {
                kind = kindOfResolved(resolved.asReferenceType());
            }
        } catch (RuntimeException | StackOverflowError | LinkageError unresolvable) {
            // Unresolvable or half-resolvable (a supertype missing from the class path): not a resource as far as we know.
            kind = null;
        }
        solved.put(key, kind);
        return kind;
    }

    private static ResourceKind kindOfResolved(ResolvedReferenceType type) {
        ResourceKind own = sqlKind(type.getQualifiedName());
        if (own != null) {
            return own;
        }
        for (ResolvedReferenceType ancestor : type.getAllAncestors()) {
            ResourceKind kind = sqlKind(ancestor.getQualifiedName());
            if (kind != null) {
                return kind;
            }
        }
        return null;
    }

    private static ResourceKind sqlKind(String qualified) {
        return qualified.startsWith("java.sql.") ? ResourceKind.ofSqlType(qualified.substring("java.sql.".length())) : null;
    }
}
