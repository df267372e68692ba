package io.jpair.cli;

/** A running demo check that a signal can cut short. */
interface Probe {
    /** Ends the check as soon as possible; any thread may call it. */
    void cancel();
}
