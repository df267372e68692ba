package io.jpair.transport;

import java.util.ArrayList;
import java.util.List;

/** A push and pull producer that records the calls it gets and can run an action on resume. */
class RecordingProducer implements PushProducer, PullProducer {
    final List<String> calls = new ArrayList<>();
    private final String name;
    Runnable onResume = () -> { };

    RecordingProducer(String name) {
        this.name = name;
    }

    @Override
    public void pauseProducing() {
        calls.add("pause");
    }

    @Override
    public void resumeProducing() {
        calls.add("resume");
        onResume.run();
    }

    @Override
    public void stopProducing() {
        calls.add("stop");
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    @Override
    public String toString() {
        return name;
    }
}
