package io.jpair.reactor;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A heap of {@link DelayedCall}s ordered by deadline, then by scheduling order.
 *
 * <p>Owned by one reactor thread, except {@link DelayedCall#cancel()}, which any thread may call
 * (the entry is skipped when it comes due).
 */
public final class TimerQueue {
    private final PriorityQueue<Entry> heap = new PriorityQueue<>();
    private final List<Entry> due = new ArrayList<>();
    private long sequence;

    /** An empty queue. */
    public TimerQueue() {
    }

    /**
     * Schedules a task.
     *
     * @param deadline when, on the owner's clock
     * @param task what to run
     * @return its handle
     */
    public DelayedCall schedule(long deadline, Runnable task) {
        Entry entry = new Entry(deadline, sequence++, task);
        heap.add(entry);
        return entry;
    }

    /**
     * The earliest deadline of a call still active.
     *
     * @return the deadline, or {@link Long#MAX_VALUE} when nothing is scheduled
     */
    public long nextDeadline() {
        Entry head;
        while ((head = heap.peek()) != null && !head.isActive()) {
            heap.poll();
        }
        return head == null ? Long.MAX_VALUE : head.deadline;
    }

    /**
     * Runs every call due at {@code now}. Calls scheduled while these run wait for the next
     * invocation, even with zero delay, as in Twisted. If {@code errors} rethrows, the exception
     * propagates and the due calls not yet run stay scheduled.
     *
     * @param now the current time
     * @param errors receives exceptions from tasks
     * @return how many ran
     */
    public int runDue(long now, ErrorHandler errors) {
        Entry head;
        while ((head = heap.peek()) != null && head.deadline <= now) {
            due.add(heap.poll());
        }
        int ran = 0;
        try {
            for (int i = 0; i < due.size(); i++) {
                Entry entry = due.get(i);
                if (entry.fire()) {
                    ran++;
                    try {
                        entry.task.run();
                    } catch (Throwable t) {
                        errors.onError(null, t);
                    }
                }
            }
        } finally {
            // If the error handler rethrew (ManualClock's default), the calls not reached yet go
            // back on the heap: still pending, and first in line on the next run.
            for (int i = 0; i < due.size(); i++) {
                Entry entry = due.get(i);
                if (entry.isActive()) {
                    heap.add(entry);
                }
            }
            due.clear();
        }
        return ran;
    }

    /**
     * Whether any call is still scheduled.
     *
     * @return true if one is active
     */
    public boolean isEmpty() {
        return nextDeadline() == Long.MAX_VALUE;
    }

    private static final class Entry implements DelayedCall, Comparable<Entry> {
        final long deadline;
        final long order;
        final Runnable task;
        final AtomicBoolean done = new AtomicBoolean();

        Entry(long deadline, long order, Runnable task) {
            this.deadline = deadline;
            this.order = order;
            this.task = task;
        }

        boolean fire() {
            return done.compareAndSet(false, true);
        }

        @Override
        public boolean cancel() {
            return done.compareAndSet(false, true);
        }

        @Override
        public boolean isActive() {
            return !done.get();
        }

        @Override
        public long time() {
            return deadline;
        }

        @Override
        public int compareTo(Entry other) {
            int byTime = Long.compare(deadline, other.deadline);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        @Override
        public String toString() {
            return "DelayedCall[time=" + deadline + ", active=" + isActive() + ", task=" + task + "]";
        }
    }
}
