package com.example.subscriptions.kafka;

/** What became of a record once its work finished. */
public sealed interface Disposition {

    Disposition DONE = new Done();

    static Disposition deadLetter(String reason) {
        return new DeadLetter(reason);
    }

    /** Handled; its offset may be committed. */
    record Done() implements Disposition {}

    /** Cannot ever be handled: the loop copies the record to the dead letter topic, then commits past it. */
    record DeadLetter(String reason) implements Disposition {}
}
