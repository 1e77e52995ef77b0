package dev.sluice.it;

import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Applies {@link TestDatabase}'s availability rule to every parameterized invocation that takes
 * a {@code TestDatabase}, before the test body runs: an unreachable PostgreSQL or MariaDB skips
 * the invocation with the reason, or fails it when {@code CI=true}.
 */
public final class RequireDatabase implements InvocationInterceptor {

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        for (Object argument : invocationContext.getArguments()) {
            if (argument instanceof TestDatabase db && db.problem() != null) {
                invocation.skip();
                db.requireAvailable(); // throws: aborted (skipped) or, with CI=true, failed
                return;
            }
        }
        invocation.proceed();
    }
}
