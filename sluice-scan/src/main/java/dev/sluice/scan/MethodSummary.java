package dev.sluice.scan;

import java.util.Set;

/**
 * What a helper method in the scanned sources does with JDBC resources, seen from a caller: the
 * one level of inter-procedural knowledge the rules use.
 *
 * @param closesParam   per parameter: the helper closes it (or hands it to something that does)
 * @param escapesParam  per parameter: the helper keeps it, returns it or passes it on, so the caller no longer owns it
 * @param endsTxParam   per parameter: the helper commits or rolls back that connection
 * @param returnsNew    the kind of resource it opens and returns to the caller, or null
 * @param acquiresFrom  the pools (receiver text) it takes a connection from
 */
record MethodSummary(boolean[] closesParam, boolean[] escapesParam, boolean[] endsTxParam, ResourceKind returnsNew,
        Set<String> acquiresFrom) {

    boolean closes(int param) {
        return param < closesParam.length && closesParam[param];
    }

    boolean escapes(int param) {
        return param < escapesParam.length && escapesParam[param];
    }

    boolean endsTransaction(int param) {
        return param < endsTxParam.length && endsTxParam[param];
    }

    /** Two helpers of the same name and arity: whatever either does, so that neither causes a false alarm. */
    MethodSummary merge(MethodSummary other) {
        int n = Math.max(closesParam.length, other.closesParam.length);
        boolean[] c = new boolean[n];
        boolean[] e = new boolean[n];
        boolean[] t = new boolean[n];
        for (int i = 0; i < n; i++) {
            c[i] = closes(i) || other.closes(i);
            e[i] = escapes(i) || other.escapes(i);
            t[i] = endsTransaction(i) || other.endsTransaction(i);
        }
        java.util.Set<String> from = new java.util.HashSet<>(acquiresFrom);
        from.addAll(other.acquiresFrom);
        return new MethodSummary(c, e, t, returnsNew != null ? returnsNew : other.returnsNew, Set.copyOf(from));
    }
}
