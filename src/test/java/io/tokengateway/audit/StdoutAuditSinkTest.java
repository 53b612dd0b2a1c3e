package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengateway.audit.verify.AuditChainVerifier;
import io.vertx.core.json.JsonObject;

/**
 * The stdout sink with console output going on beside it: the real writer and sink, "standard output" a file
 * that both the sink and {@code System.out} write to (as they share fd 1), while another thread prints log lines.
 */
class StdoutAuditSinkTest {

    @Test
    void recordsStayWholeAndInSeqOrderBesideConsoleOutput(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("stdout");
        PrintStream console = new PrintStream(new FileOutputStream(file.toFile(), true), true, StandardCharsets.UTF_8);
        PrintStream original = System.out;
        Trails.Recorder recorder = new Trails.Recorder();
        AtomicBoolean logging = new AtomicBoolean(true);
        AtomicInteger logged = new AtomicInteger();
        String logLine = "2026-12-06 INFO [io.tokengateway] (executor) " + "a console log line ".repeat(20);
        System.setOut(console);
        try {
            Thread logger = new Thread(() -> {
                while (logging.get()) {
                    System.out.println(logLine + logged.incrementAndGet());
                }
            });
            logger.start();
            AuditWriter writer = Trails.writer(
                    "i-stdout",
                    new StdoutAuditSink(new FileOutputStream(file.toFile(), true)),
                    Trails.KEYS,
                    Duration.ofMillis(20),
                    recorder);
            ExecutorService callers = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Void>> all = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String id = "c-" + i;
                callers.execute(() -> all.add(writer.append(Trails.record(id))));
            }
            callers.shutdown();
            assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS));
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            writer.close();
            logging.set(false);
            logger.join(10_000);
        } finally {
            System.setOut(original);
            console.close();
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<AuditChainVerifier.Line> trail = new ArrayList<>();
        int logs = 0;
        for (String line : lines) {
            if (line.startsWith("{\"seq\"")) {
                trail.add(new AuditChainVerifier.Line("stdout", trail.size() + 1, line));
            } else if (line.matches("\\Q" + logLine + "\\E\\d+")) {
                logs++;
            } else {
                // Anything else another test's thread printed meanwhile: fine, unless it holds a piece of ours.
                assertTrue(
                        !line.contains("a console log line") && !line.contains("\"seq\""),
                        () -> "a line cut or spliced: " + line);
            }
        }
        assertEquals(logged.get(), logs, "every log line whole on a line of its own");
        assertTrue(logs > 0, "console output went on meanwhile");
        long seq = 0;
        int requests = 0;
        for (AuditChainVerifier.Line line : trail) {
            JsonObject record = new JsonObject(line.text()); // whole: it parses
            assertEquals(++seq, record.getLong("seq"), "records in seq order");
            requests += "request".equals(record.getString("type")) ? 1 : 0;
        }
        assertEquals(3000, requests);
        assertEquals(
                List.of(),
                AuditChainVerifier.verify(trail, Trails.KEYS.getPublic(), recorder.checkpoints, false)
                        .breaks());
    }
}
