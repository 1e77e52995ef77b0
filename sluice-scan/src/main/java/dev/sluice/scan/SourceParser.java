package dev.sluice.scan;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parses many sources on a few threads. Parsing is three quarters of a scan and each file
 * parses on its own, so it is the one part worth spreading over the cores; the rules then run on
 * one thread, over every tree, because helper summaries need them all. A JavaParser is not shared
 * between threads: each worker has its own, built from the same configuration (whose processors
 * are created per parse).
 */
final class SourceParser {
    /** Deeply nested generated expressions recurse deeply; the main thread's stack is large, a pool thread's is not. */
    private static final long WORKER_STACK_BYTES = 16L * 1024 * 1024;

    /** One source's outcome: the parse result, or what the parser threw. */
    record Outcome(ParseResult<CompilationUnit> result, Throwable failure) {
    }

    private final ParserConfiguration configuration;
    private final int threads;

    SourceParser(ParserConfiguration configuration, int threads) {
        this.configuration = configuration;
        this.threads = Math.max(1, threads);
    }

    /** The outcomes in the order of {@code sources}. */
    List<Outcome> parseAll(List<String> sources) {
        int workers = Math.min(threads, Math.max(1, sources.size() / 8));
        if (workers == 1) {
            JavaParser parser = new JavaParser(configuration);
            List<Outcome> outcomes = new ArrayList<>(sources.size());
            for (String source : sources) {
                outcomes.add(parse(parser, source));
            }
            return outcomes;
        }
        AtomicInteger names = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
            Thread t = new Thread(null, task, "sluice-scan-parser-" + names.incrementAndGet(), WORKER_STACK_BYTES);
            t.setDaemon(true);
            return t;
        });
        try {
            ThreadLocal<JavaParser> parsers = ThreadLocal.withInitial(() -> new JavaParser(configuration));
            List<Future<Outcome>> futures = new ArrayList<>(sources.size());
            for (String source : sources) {
                futures.add(pool.submit(() -> parse(parsers.get(), source)));
            }
            List<Outcome> outcomes = new ArrayList<>(sources.size());
            for (Future<Outcome> future : futures) {
                outcomes.add(await(future));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome parse(JavaParser parser, String source) {
        try {
            return new Outcome(parser.parse(source), null);
        } catch (RuntimeException | StackOverflowError parserFailure) {
            return new Outcome(null, parserFailure);
        }
    }

    private static Outcome await(Future<Outcome> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return new Outcome(null, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing", e);
        }
    }
}
