package dev.sluice.internal;

import java.util.concurrent.Executor;

/**
 * The executor handed to {@code Connection.setNetworkTimeout}. Drivers use it only to run the
 * abort after a timeout; some (MariaDB) reject a null one, and none needs a thread of its own.
 */
enum DirectExecutor implements Executor {
    INSTANCE;

    @Override
    public void execute(Runnable command) {
        command.run();
    }
}
