package dev.gantry.knowledge.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * The analyzer for chunk text and keyword queries: Lucene's English analyzer (standard tokenizer, possessives,
 * lower case, Porter stemming) with a stop list extended by question words and other function words. Questions are
 * full of "what", "how", "does", "per", which BM25 would otherwise match on filler (dependencies.md pitfall 16:
 * a match on "per" beat the right document in fused rankings).
 */
public final class SearchAnalyzer {
    private static final List<String> EXTRA_STOP_WORDS = List.of(
            "what", "which", "who", "whom", "whose", "where", "when", "why", "how",
            "do", "does", "did", "doing", "done", "has", "have", "had", "having", "am", "were", "been", "being",
            "can", "could", "should", "would", "may", "might", "must", "shall",
            "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "its", "them",
            "from", "about", "per", "than", "so", "any", "all", "some", "each", "also", "very", "just",
            "tell", "please", "know", "get", "use", "used", "using");

    private final Analyzer analyzer;

    public SearchAnalyzer() {
        CharArraySet stop = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
        stop.addAll(EXTRA_STOP_WORDS);
        this.analyzer = new EnglishAnalyzer(CharArraySet.unmodifiableSet(stop));
    }

    public Analyzer analyzer() {
        return analyzer;
    }

    /** The distinct index terms of a query, in order of first appearance. */
    public Set<String> terms(String field, String text) {
        Set<String> terms = new LinkedHashSet<>();
        forEachToken(field, text, (term, start, end) -> terms.add(term));
        return terms;
    }

    /** Character spans of {@code text} whose index term is one of {@code terms}. */
    public List<Span> matches(String field, String text, Set<String> terms) {
        List<Span> spans = new ArrayList<>();
        if (!terms.isEmpty()) {
            forEachToken(field, text, (term, start, end) -> {
                if (terms.contains(term)) {
                    spans.add(new Span(start, end));
                }
            });
        }
        return spans;
    }

    private interface TokenSink {
        void accept(String term, int start, int end);
    }

    private void forEachToken(String field, String text, TokenSink sink) {
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                sink.accept(term.toString(), offset.startOffset(), offset.endOffset());
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analyzing text failed", e);
        }
    }
}
