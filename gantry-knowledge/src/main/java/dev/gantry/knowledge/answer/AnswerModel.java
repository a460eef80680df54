package dev.gantry.knowledge.answer;

import java.util.function.Consumer;

/**
 * The language model that writes the final answer. Gantry's engine implements it for a loaded model; the Knowledge
 * Hub only needs a prompt in, streamed text out, and a token budget. The prompt is one user turn in plain text;
 * applying a chat template is the implementation's job.
 */
public interface AnswerModel {

    /**
     * Generates a continuation of {@code prompt}, calling {@code onText} with each piece of text as it is produced
     * (in order, on the calling thread or not, but never concurrently), and returns when generation has finished.
     *
     * @param maxTokens the most tokens to generate
     */
    void generate(String prompt, int maxTokens, Consumer<String> onText);

    /** Tokens {@code text} takes in this model's prompt. */
    int countTokens(String text);

    /** The model's context window in tokens: prompt plus generated tokens must fit in it. */
    int contextLength();
}
