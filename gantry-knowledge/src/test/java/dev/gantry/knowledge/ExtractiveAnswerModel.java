package dev.gantry.knowledge;

import dev.gantry.knowledge.answer.AnswerModel;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A deterministic stand-in for a language model, test scope only: it reads the numbered sources out of the prompt,
 * answers with the source sentence sharing most words with the question followed by that source's {@code [n]}, and
 * streams it word by word. One token per word.
 */
public final class ExtractiveAnswerModel implements AnswerModel {
    private static final Pattern SOURCE = Pattern.compile("\\n\\[(\\d+)] [^\\n]*\\n(.*?)(?=\\n\\[\\d+] |\\nQuestion: )",
            Pattern.DOTALL);
    private static final Pattern QUESTION = Pattern.compile("\\nQuestion: (.*)\\nAnswer:$", Pattern.DOTALL);

    private final int contextLength;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile String lastPrompt;

    public ExtractiveAnswerModel(int contextLength) {
        this.contextLength = contextLength;
    }

    public int calls() {
        return calls.get();
    }

    public String lastPrompt() {
        return lastPrompt;
    }

    @Override
    public void generate(String prompt, int maxTokens, Consumer<String> onText) {
        calls.incrementAndGet();
        lastPrompt = prompt;
        Matcher q = QUESTION.matcher(prompt);
        Set<String> questionWords = q.find() ? words(q.group(1)) : Set.of();
        String best = null;
        int bestOverlap = -1;
        String bestNumber = null;
        Matcher s = SOURCE.matcher(prompt);
        while (s.find()) {
            for (String sentence : s.group(2).strip().split("(?<=[.!?])\\s+|\\n+")) {
                Set<String> w = words(sentence);
                w.retainAll(questionWords);
                if (w.size() > bestOverlap) {
                    bestOverlap = w.size();
                    best = sentence;
                    bestNumber = s.group(1);
                }
            }
        }
        String answer = best == null ? "I do not know." : best + " [" + bestNumber + "]";
        String[] pieces = answer.split("(?<= )");
        for (int i = 0; i < Math.min(pieces.length, maxTokens); i++) {
            onText.accept(pieces[i]);
        }
    }

    private static Set<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(w -> w.length() > 3)
                .collect(Collectors.toSet());
    }

    @Override
    public int countTokens(String text) {
        return text.isBlank() ? 0 : text.strip().split("\\s+").length;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }
}
