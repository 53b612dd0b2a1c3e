package io.tokengateway.pipeline;

import java.time.Duration;

/** How many requests are being worked on, so shutdown can wait for the last one. */
final class InFlightRequests {

    private int count;

    synchronized void started() {
        count++;
    }

    synchronized void finished() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    synchronized int count() {
        return count;
    }

    /** Blocks (never on the event loop: shutdown only) until none is in flight; false when patience ran out first. */
    synchronized boolean awaitNone(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
