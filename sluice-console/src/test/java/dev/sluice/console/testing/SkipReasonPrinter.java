package dev.sluice.console.testing;

import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints why a test was skipped, on the console where the skip is counted: surefire shows only
 * "Skipped: 1" and keeps the reason in its XML report, so a skipped database test looked like a
 * pass to anyone reading the build output. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 *
 * <p>sluice-core, sluice-it and sluice-console each hold a copy (the modules share no test classpath); keep them alike.
 */
public final class SkipReasonPrinter implements TestExecutionListener {

    /** {@code @Disabled} and execution conditions: the test never started. */
    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    /** Assumptions and {@code Assumptions.abort}: the test started and gave up. */
    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        System.out.println("SKIPPED " + name(test) + ": " + (reason == null ? "no reason given" : reason));
    }

    private static String name(TestIdentifier test) {
        Optional<TestSource> source = test.getSource();
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            String className = m.getClassName().substring(m.getClassName().lastIndexOf('.') + 1);
            String display = test.getDisplayName();
            // A parameterized invocation is named by its arguments; the method name alone would be ambiguous.
            return className + "." + m.getMethodName() + (display.startsWith(m.getMethodName() + "(") ? "" : " " + display);
        }
        if (source.isPresent() && source.get() instanceof ClassSource c) {
            return c.getClassName();
        }
        return test.getDisplayName();
    }
}
