package dev.sluice.scan;

import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The variables a method can see, by name: its locals and parameters (lambda parameters
 * included) and the fields of its class. Shadowing is rare enough in JDBC code that the first
 * declaration of a name wins.
 */
final class Variables {
    private final Map<String, Type> locals = new HashMap<>();
    private final Set<String> parameters = new HashSet<>();
    private final Map<String, Type> fields = new HashMap<>();

    Variables(Node callable) {
        if (callable instanceof CallableDeclaration<?> declaration) {
            for (Parameter p : declaration.getParameters()) {
                parameters.add(p.getNameAsString());
                locals.putIfAbsent(p.getNameAsString(), p.getType());
            }
        }
        for (Parameter p : callable.findAll(Parameter.class)) {
            locals.putIfAbsent(p.getNameAsString(), p.getType());
        }
        for (VariableDeclarator v : callable.findAll(VariableDeclarator.class)) {
            if (v.getParentNode().filter(FieldDeclaration.class::isInstance).isEmpty()) {
                locals.putIfAbsent(v.getNameAsString(), v.getType());
            }
        }
        Optional<Node> p = callable.getParentNode();
        while (p.isPresent()) {
            if (p.get() instanceof TypeDeclaration<?> type) {
                for (FieldDeclaration f : type.getFields()) {
                    for (VariableDeclarator v : f.getVariables()) {
                        fields.putIfAbsent(v.getNameAsString(), v.getType());
                    }
                }
            }
            p = p.get().getParentNode();
        }
    }

    /** Whether the name is a local variable or parameter rather than a field. */
    boolean isLocal(String name) {
        return locals.containsKey(name);
    }

    boolean isParameter(String name) {
        return parameters.contains(name);
    }


    /** The declared type of a variable, or null. */
    Type type(String name) {
        Type t = locals.get(name);
        return t != null ? t : fields.get(name);
    }

    /** The simple name of a variable's declared type ({@code var} gives null). */
    String typeName(String name) {
        Type t = type(name);
        return t instanceof ClassOrInterfaceType cls ? cls.getNameAsString() : null;
    }
}
