package io.tokengateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tokengateway.audit.verify.AuditChainVerifier;

/** The file sink: size-based rotation that never overwrites, the chain across files, reopening, failure. */
class FileAuditSinkTest {

    @TempDir
    Path dir;

    static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void filesRotateBySizeAndTheChainContinuesAcrossThem() throws IOException {
        Path file = dir.resolve("audit.log");
        FileAuditSink sink = new FileAuditSink(file, 2_000, false);
        AuditChain chain = new AuditChain("i-rot");
        for (int i = 0; i < 40; i++) {
            sink.write(line(chain.seal("request", Trails.record("c-" + i))));
        }
        sink.close();
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files = listed.sorted().toList();
        }
        assertTrue(files.size() > 3, "rotated: " + files);
        List<AuditChainVerifier.Line> all = new ArrayList<>();
        for (Path f : files) {
            assertTrue(Files.size(f) <= 2_000, f + " over the limit");
            all.addAll(AuditChainVerifier.read(f));
        }
        assertEquals(40, all.size());
        // No checkpoints were written here: the chain links up, only the tail is unsigned.
        AuditChainVerifier.Report report = AuditChainVerifier.verify(all, Trails.KEYS.getPublic(), null, true);
        assertTrue(
                report.breaks().stream()
                        .allMatch(b -> b.problem() == AuditChainVerifier.Problem.EDITED
                                && b.detail().contains("start record")),
                report.breaks()::toString);
    }

    @Test
    void aFileMovedAwayIsReopenedAndAPathThatCannotBeWrittenFailsUntilItCanAgain() throws IOException {
        Path file = dir.resolve("audit.log");
        FileAuditSink sink = new FileAuditSink(file, 1_000_000, true);
        sink.write(line("{\"one\":1}"));
        Files.move(file, dir.resolve("shipped.log"));
        sink.write(line("{\"two\":2}"));
        assertEquals("{\"two\":2}\n", Files.readString(file));

        Files.delete(file);
        Files.createDirectory(file); // the path now names something no file can be written to
        assertThrows(IOException.class, () -> sink.write(line("{\"three\":3}")));
        Files.delete(file);
        sink.write(line("{\"four\":4}"));
        assertEquals("{\"four\":4}\n", Files.readString(file));
        sink.close();
    }
}
