package dev.sluice.spring.boot;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands the pool's log records to the application's logging system. Sluice logs through
 * {@code System.Logger}, which the JDK backs with {@code java.util.logging}; Boot's Logback
 * system does bridge that to SLF4J, but takes the bridge down when the context starts closing,
 * before the pool closes, so "aborting a connection still borrowed at shutdown" and "closed" were
 * lost. This handler sits on the {@code dev.sluice} logger itself and writes through Spring's
 * commons-logging, which works with every logging system Boot supports, until the pool is closed.
 *
 * <p>One handler for the JVM however many contexts are open (tests keep several), counted, so a
 * line is never written twice. While it is installed the {@code dev.sluice} records do not go on
 * to the parent handlers, which would be Boot's bridge printing them a second time.
 */
final class PoolLogBridge extends Handler {

    private static final String LOGGER_NAME = "dev.sluice";

    /** Installs, guarded by the class. The logger is held here: java.util.logging keeps loggers only weakly. */
    private static int installs;
    private static Logger logger;
    private static PoolLogBridge handler;
    private static Level levelBefore;

    private final SimpleFormatter formatter = new SimpleFormatter();

    private PoolLogBridge() {
    }

    /** One context's hold on the bridge: the records reach the application's log until every holder has closed. */
    static final class Registration implements AutoCloseable {
        private boolean closed;

        private Registration() {
        }

        @Override
        public void close() {
            synchronized (PoolLogBridge.class) {
                if (!closed) {
                    closed = true;
                    uninstall();
                }
            }
        }
    }

    /** Routes the pool's records to the application's log until the returned registration is closed. */
    static synchronized Registration install() {
        if (installs++ == 0) {
            logger = Logger.getLogger(LOGGER_NAME);
            handler = new PoolLogBridge();
            levelBefore = logger.getLevel();
            if (levelBefore == null) {
                // java.util.logging drops a record below its own level before any handler sees it: open it as far
                // as the application's log wants Sluice's lines (read once; the default, INFO, in most applications).
                logger.setLevel(levelFor(LogFactory.getLog(LOGGER_NAME)));
            }
            logger.addHandler(handler);
            logger.setUseParentHandlers(false);
        }
        return new Registration();
    }

    private static synchronized void uninstall() {
        if (--installs == 0) {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            logger.setLevel(levelBefore);
            logger = null;
            handler = null;
        }
    }

    private static Level levelFor(Log log) {
        return log.isTraceEnabled() ? Level.FINEST : log.isDebugEnabled() ? Level.FINE : log.isInfoEnabled() ? Level.INFO
                : log.isWarnEnabled() ? Level.WARNING : Level.SEVERE;
    }

    @Override
    public void publish(LogRecord record) {
        Log log = LogFactory.getLog(record.getLoggerName() != null ? record.getLoggerName() : LOGGER_NAME);
        int level = record.getLevel().intValue();
        String message = formatter.formatMessage(record);
        Throwable thrown = record.getThrown();
        if (level >= Level.SEVERE.intValue()) {
            log.error(message, thrown);
        } else if (level >= Level.WARNING.intValue()) {
            log.warn(message, thrown);
        } else if (level >= Level.INFO.intValue()) {
            log.info(message, thrown);
        } else if (level >= Level.FINE.intValue()) {
            log.debug(message, thrown);
        } else {
            log.trace(message, thrown);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
