package dev.gantry.knowledge;

import static dev.gantry.knowledge.TestHubs.ingest;
import static dev.gantry.knowledge.TestHubs.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeHubAnswerTest {
    private static final String T = "acme";

    @TempDir
    Path root;
    KnowledgeHub hub;

    @BeforeEach
    void setUp() throws Exception {
        hub = TestHubs.hashing(root);
        hub.createCollection(T, "hr", CollectionSettings.defaults().withChunking(40, 0));
        ingest(hub, T, "hr",
                text("leave.md", "# Leave\n\n## Parental leave\n\nIntro words here. Parents receive sixteen weeks of paid parental leave."),
                text("expenses.md", "# Expenses\n\nExpense claims are reimbursed within ten working days."),
                text("security.md", "# Security\n\nLaptops must use full disk encryption."));
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void answerIsStreamedAndCitesTheChunkItCameFrom() {
        ExtractiveAnswerModel model = new ExtractiveAnswerModel(4096);
        List<String> streamed = new ArrayList<>();
        Answer answer = hub.answer(T, "hr", AnswerRequest.of("How many weeks of parental leave do parents receive?"),
                model, streamed::add);

        assertThat(answer.relevantFound()).isTrue();
        assertThat(streamed.size()).isGreaterThan(3);
        assertThat(String.join("", streamed)).isEqualTo(answer.text());
        assertThat(answer.text()).startsWith("Parents receive sixteen weeks").endsWith("[1]");
        assertThat(answer.citations()).singleElement().satisfies(c -> {
            assertThat(c.number()).isEqualTo(1);
            assertThat(c.documentName()).isEqualTo("leave.md");
            assertThat(c.headingPath()).containsExactly("Leave", "Parental leave");
            String text = hub.documentText(T, "hr", c.documentId());
            assertThat(text.substring(c.start(), c.end())).isEqualTo(c.text()).contains("sixteen weeks");
        });
        assertThat(answer.sources()).extracting(Citation::number).startsWith(1);
        assertThat(model.lastPrompt()).contains("[1] leave.md — Leave > Parental leave\n", "Question: How many weeks");
    }

    @Test
    void nothingRelevantIsSaidInsteadOfAskingTheModel() {
        ExtractiveAnswerModel model = new ExtractiveAnswerModel(4096);
        List<String> streamed = new ArrayList<>();
        Answer answer = hub.answer(T, "hr", AnswerRequest.of("Who won the 1998 football world cup?"), model, streamed::add);
        assertThat(answer.relevantFound()).isFalse();
        assertThat(answer.text()).contains("nothing relevant", "'hr'");
        assertThat(streamed).containsExactly(answer.text());
        assertThat(answer.citations()).isEmpty();
        assertThat(model.calls()).isZero();
    }

    @Test
    void filtersAndTheRelevanceFloorApplyToAnswers() {
        ExtractiveAnswerModel model = new ExtractiveAnswerModel(4096);
        AnswerRequest onlySecurity = new AnswerRequest("How many weeks of parental leave?", SearchMode.HYBRID, 5,
                Map.of("document", "security.md"), 256, null);
        assertThat(hub.answer(T, "hr", onlySecurity, model, t -> { }).relevantFound()).isFalse();
        AnswerRequest anything = new AnswerRequest("How many weeks of parental leave?", SearchMode.HYBRID, 5,
                Map.of("document", "security.md"), 256, -1.0);
        assertThat(hub.answer(T, "hr", anything, model, t -> { }).sources()).extracting(Citation::documentName)
                .containsExactly("security.md");
    }

    @Test
    void sourcesAreLimitedToTheModelsContextBudget() {
        AnswerRequest request = new AnswerRequest("parental leave expense claims laptops encryption weeks",
                SearchMode.HYBRID, 5, Map.of(), 16, -1.0);
        Answer wide = hub.answer(T, "hr", request, new ExtractiveAnswerModel(4096), t -> { });
        Answer narrow = hub.answer(T, "hr", request, new ExtractiveAnswerModel(100), t -> { });
        assertThat(wide.sources()).hasSize(3);
        // 84 tokens of budget: the 58-token bare prompt plus the first source (21 words), not the second
        assertThat(narrow.sources()).extracting(Citation::documentName).containsExactly("leave.md");
    }
}
