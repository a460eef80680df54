package dev.gantry.engine;

import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.engine.scheduler.FinishReason;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The stream of one submitted request: its tokens in order, then a last event with the finish reason. Read it
 * from one thread with {@link #next()}; {@link Engine#cancel} ends it early with {@link FinishReason#CANCELLED}.
 */
public final class Generation {

    /**
     * A generated token, or the end: {@code token} is -1 on an end event without a token. {@code logprobs} is
     * set when the request asked for them.
     */
    public record Event(int token, FinishReason finish, String error, TokenChoice logprobs) {

        public Event(int token, FinishReason finish, String error) {
            this(token, finish, error, null);
        }

        public boolean isLast() {
            return finish != null;
        }
    }

    private final long id;
    private final int promptTokens;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    Generation(long id, int promptTokens) {
        this.id = id;
        this.promptTokens = promptTokens;
    }

    public long id() {
        return id;
    }

    public int promptTokens() {
        return promptTokens;
    }

    void emit(Event e) {
        events.add(e);
    }

    /** The next event, waiting for it. */
    public Event next() throws InterruptedException {
        return events.take();
    }

    /** The next event, or null if none came within the timeout. */
    public Event next(long timeout, TimeUnit unit) throws InterruptedException {
        return events.poll(timeout, unit);
    }
}
