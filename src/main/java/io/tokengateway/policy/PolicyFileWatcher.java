package io.tokengateway.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.tokengateway.digest.Sha256;

/**
 * Notices a change of the policy file or of a password file, on its own thread (file IO never runs on an event
 * loop). Built for Kubernetes volumes: the kubelet writes a new timestamped directory and swaps the {@code ..data}
 * symlink, so the file's own path never changes and no event names it. Hence both: a {@link WatchService} on the
 * directories (the swap shows as events there: a prompt wake-up) and a check every {@code interval} whatever
 * the events (a missed or coalesced event, a file system without watch support). Either way the decision is the
 * same: the content fingerprint (SHA-256 over every watched file's bytes, symlinks followed) differs from the
 * last one.
 *
 * <p>The listener runs on the watcher thread, once per change; it may be slow (it validates a whole policy), and
 * changes that arrive meanwhile are seen at the next check.
 */
public final class PolicyFileWatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PolicyFileWatcher.class);

    private final Supplier<Collection<Path>> files;
    private final Runnable onChange;
    private final Duration interval;
    private final WatchService watch;
    private final Set<Path> watchedDirs = new HashSet<>();
    private final Thread thread;
    private volatile boolean closed;
    private String fingerprint;

    /**
     * @param files    the files to watch, asked again after each change (the policy names its password files)
     * @param onChange called on the watcher thread when their content changed
     * @param interval the periodic check, the longest a change can go unnoticed
     */
    public PolicyFileWatcher(Supplier<Collection<Path>> files, Runnable onChange, Duration interval) {
        this(files, onChange, interval, () -> FileSystems.getDefault().newWatchService());
    }

    /** Where the watch service comes from: the default file system's, or in tests one that cannot be had. */
    interface WatchServices {
        WatchService open() throws IOException;
    }

    PolicyFileWatcher(
            Supplier<Collection<Path>> files, Runnable onChange, Duration interval, WatchServices watchServices) {
        this.files = files;
        this.onChange = onChange;
        this.interval = interval;
        WatchService opened;
        try {
            opened = watchServices.open();
        } catch (IOException e) {
            // inotify instances are per user and node-wide (128 by default): not worth refusing to start for, the
            // periodic check alone still notices every change, only less promptly.
            LOG.warnf(
                    "Cannot watch the policy files for changes (%s); checking them every %s",
                    e.getClass().getName(), interval);
            opened = null;
        }
        this.watch = opened;
        this.fingerprint = fingerprint(files.get());
        registerDirectories(files.get());
        this.thread = new Thread(this::run, "policy-watcher");
        thread.setDaemon(true);
    }

    /** Starts watching; changes before this call are compared against the content seen at construction. */
    public PolicyFileWatcher start() {
        thread.start();
        return this;
    }

    private void run() {
        while (!closed) {
            try {
                WatchKey key = watch == null ? pause() : watch.poll(interval.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents(); // what changed does not matter: the fingerprint decides
                    key.reset();
                }
                while (check()) {
                    // the applied policy named other files: compare over those at once
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                // A failing check must not end the watch: the next one tries again.
                LOG.errorf(
                        "Checking the policy files for changes failed: %s",
                        e.getClass().getName());
            }
        }
    }

    /** Without a watch service: the periodic check's interval, then no key. */
    private WatchKey pause() throws InterruptedException {
        Thread.sleep(interval.toMillis()); // the check interval itself, on the watcher's own thread
        return null;
    }

    /**
     * Compares the content with the last seen and calls the listener when it differs. The fingerprint is taken
     * before the listener reads the files, so a change during the listener is seen by the next check. Returns
     * whether the listener changed the set of files: the caller checks again at once (the listener then reads
     * the new files once more, after their fingerprint was taken: it must be idempotent).
     */
    boolean check() {
        Collection<Path> now = files.get();
        String current = fingerprint(now);
        if (current.equals(fingerprint)) {
            return false;
        }
        fingerprint = current;
        onChange.run();
        Collection<Path> after = files.get();
        registerDirectories(after); // a new merchant's password file: watch its directory too
        return !Set.copyOf(after).equals(Set.copyOf(now));
    }

    private void registerDirectories(Collection<Path> paths) {
        for (Path path : paths) {
            Path dir = path.toAbsolutePath().getParent();
            if (watch != null && dir != null && watchedDirs.add(dir)) {
                try {
                    dir.register(
                            watch,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                } catch (IOException e) {
                    // The periodic check still sees its changes.
                    LOG.warnf(
                            "Cannot watch %s for changes (%s); checking it every %s",
                            dir, e.getClass().getName(), interval);
                }
            }
        }
    }

    /** SHA-256 over each file's name and bytes, in name order; an unreadable file counts as its own state. */
    static String fingerprint(Collection<Path> paths) {
        StringBuilder all = new StringBuilder();
        for (Path path : new TreeSet<>(paths)) {
            all.append(path).append('\0');
            try {
                all.append(Sha256.hex(Files.readAllBytes(path)));
            } catch (IOException e) {
                all.append("unreadable:").append(e.getClass().getSimpleName());
            }
            all.append('\n');
        }
        return Sha256.hex(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            if (watch != null) {
                watch.close();
            }
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (IOException e) {
            LOG.debugf(
                    "Closing the policy watch service failed: %s", e.getClass().getName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
