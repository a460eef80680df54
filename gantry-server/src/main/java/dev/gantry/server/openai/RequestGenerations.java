package dev.gantry.server.openai;

import dev.gantry.engine.Generation;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.TokenTextStream;
import dev.gantry.engine.grammar.Grammar;
import dev.gantry.engine.sampling.TokenChoice;
import dev.gantry.engine.scheduler.FinishReason;
import dev.gantry.engine.scheduler.OverloadedException;
import dev.gantry.server.ServedModel;
import dev.gantry.server.observe.RequestLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The {@code n} generations of one request: submitted together (all or none), then driven to the end, turning
 * tokens into text with stop strings applied, and reporting each choice's text and finish reason to a
 * {@link Listener} as it comes. Any failure of the listener (a client that went away) cancels every generation
 * still running, so their KV blocks are freed at once.
 */
final class RequestGenerations {

    /** Receives the choices' text in order per choice; choices interleave. */
    interface Listener {
        void text(int index, String text) throws IOException;

        void finish(int index, String finishReason) throws IOException;

        /** A generated token's log-probabilities, when the request asked for them; before its text. */
        default void logprobs(int index, TokenChoice choice) throws IOException {
        }
    }

    private record Item(int index, Generation.Event event) {
    }

    private final ServedModel model;
    private final GenerationOptions options;
    private final int promptTokens;
    private final List<Generation> generations;
    private final boolean[] done;
    private int completionTokens;

    private RequestGenerations(ServedModel model, GenerationOptions options, int promptTokens, List<Generation> generations) {
        this.model = model;
        this.options = options;
        this.promptTokens = promptTokens;
        this.generations = generations;
        this.done = new boolean[generations.size()];
    }

    /**
     * Checks the prompt against the context and submits {@code options.n()} generations.
     *
     * @param promptParam the request field the prompt came from, for error bodies
     * @throws ApiException 400 when prompt + max_tokens exceed the context (never truncated), 429 when the queue
     *     is full, 503 when the engine is shut down; nothing stays queued then
     */
    static RequestGenerations submit(ServedModel model, int[] prompt, GenerationOptions options, String promptParam) {
        return submit(model, prompt, options, null, promptParam);
    }

    /** As {@link #submit(ServedModel, int[], GenerationOptions, String)}, each choice constrained to {@code grammar} (null: none). */
    static RequestGenerations submit(ServedModel model, int[] prompt, GenerationOptions options, Grammar grammar,
                                     String promptParam) {
        int context = model.contextLength();
        if (prompt.length == 0) {
            throw ApiException.invalid("the prompt is empty", promptParam);
        }
        if (prompt.length >= context) {
            throw ApiException.invalid("the prompt has " + prompt.length + " tokens; the model's context holds "
                    + context + " (prompt and completion together)", promptParam, "context_length_exceeded");
        }
        int maxTokens = options.maxTokens().orElse(context - prompt.length);
        if ((long) prompt.length + maxTokens > context) {
            throw ApiException.invalid("the prompt (" + prompt.length + " tokens) plus max_tokens (" + maxTokens
                    + ") exceeds the model's context of " + context + " tokens; shorten the prompt or lower max_tokens",
                    "max_tokens", "context_length_exceeded");
        }
        List<Generation> submitted = new ArrayList<>();
        try {
            for (int i = 0; i < options.n(); i++) {
                submitted.add(model.engine().submit(new GenerationRequest(prompt, options.samplingFor(i), maxTokens,
                        null, options.ignoreEos(), options.user(), options.logprobs(), grammar)));
            }
        } catch (RuntimeException e) {
            submitted.forEach(g -> model.engine().cancel(g.id()));
            throw switch (e) {
                case OverloadedException o -> ApiException.overloaded(o.getMessage());
                case IllegalArgumentException a -> ApiException.invalid(a.getMessage(), promptParam);
                case IllegalStateException s -> ApiException.unavailable(s.getMessage());
                default -> e;
            };
        }
        return new RequestGenerations(model, options, prompt.length, submitted);
    }

    int promptTokens() {
        return promptTokens;
    }

    /** Tokens generated over all choices, the one that completed a stop string included. */
    int completionTokens() {
        return completionTokens;
    }

    /**
     * Runs every choice to its end. An engine failure cancels the rest and is thrown as a 500; a listener failure
     * cancels everything and is rethrown.
     */
    void run(Listener listener) throws IOException, InterruptedException {
        BlockingQueue<Item> events = new LinkedBlockingQueue<>();
        for (int i = 0; i < generations.size(); i++) {
            int index = i;
            Generation g = generations.get(i);
            // One reader per generation merges the choices into a single ordered feed for this thread.
            Thread.ofVirtual().name("gantry-choice-" + g.id()).start(() -> forward(index, g, events));
        }
        TokenTextStream[] texts = new TokenTextStream[generations.size()];
        StopMatcher[] stops = new StopMatcher[generations.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = new TokenTextStream(model.model().tokenizer());
            stops[i] = new StopMatcher(options.stop());
        }
        int open = generations.size();
        try {
            while (open > 0) {
                Item item = events.take();
                int i = item.index();
                if (done[i]) {
                    continue; // the cancellation echo of a choice already ended by a stop string
                }
                Generation.Event e = item.event();
                if (e.token() >= 0) {
                    completionTokens++;
                    if (e.logprobs() != null) {
                        listener.logprobs(i, e.logprobs());
                    }
                    emit(listener, i, stops[i].accept(texts[i].accept(e.token())));
                    if (stops[i].stopped()) {
                        done[i] = true;
                        open--;
                        model.engine().cancel(generations.get(i).id());
                        listener.finish(i, "stop");
                        continue;
                    }
                }
                if (e.isLast()) {
                    done[i] = true;
                    open--;
                    if (e.finish() == FinishReason.ERROR || e.finish() == FinishReason.CANCELLED) {
                        throw ApiException.internal("generation failed: "
                                + (e.error() != null ? e.error() : e.finish().name().toLowerCase()));
                    }
                    emit(listener, i, stops[i].accept(texts[i].flush()));
                    emit(listener, i, stops[i].flush());
                    listener.finish(i, stops[i].stopped() || e.finish() == FinishReason.STOP ? "stop" : "length");
                }
            }
        } catch (IOException | RuntimeException | InterruptedException ex) {
            cancel();
            throw ex;
        }
    }

    /** One finished choice of a non-streaming answer. */
    record Choice(String text, String finishReason, LogprobsJson logprobs) {
    }

    /** Runs every choice to its end, as {@link #run}, and returns each choice's whole text, finish and log-probabilities. */
    List<Choice> collect() throws IOException, InterruptedException {
        int n = generations.size();
        StringBuilder[] texts = new StringBuilder[n];
        LogprobsJson[] logprobs = new LogprobsJson[n];
        String[] finish = new String[n];
        for (int i = 0; i < n; i++) {
            texts[i] = new StringBuilder();
            logprobs[i] = new LogprobsJson(model.model().tokenizer());
        }
        run(new Listener() {
            @Override
            public void text(int index, String text) {
                texts[index].append(text);
            }

            @Override
            public void finish(int index, String reason) {
                finish[index] = reason;
            }

            @Override
            public void logprobs(int index, TokenChoice choice) {
                logprobs[index].add(choice);
            }
        });
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            choices.add(new Choice(texts[i].toString(), finish[i], logprobs[i]));
        }
        return choices;
    }

    /** Cancels every choice that has not ended (every request ends here, so its token counts are logged here). */
    void cancel() {
        RequestLog.tokens(promptTokens, completionTokens);
        for (int i = 0; i < generations.size(); i++) {
            if (!done[i]) {
                done[i] = true;
                model.engine().cancel(generations.get(i).id());
            }
        }
    }

    private static void emit(Listener listener, int index, String text) throws IOException {
        if (!text.isEmpty()) {
            listener.text(index, text);
        }
    }

    private static void forward(int index, Generation g, BlockingQueue<Item> events) {
        try {
            Generation.Event e;
            do {
                e = g.next();
                events.add(new Item(index, e));
            } while (!e.isLast());
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
