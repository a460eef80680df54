package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReaderTest {

    private static final String HANDBOOK = """
            # Employee Handbook

            Welcome to **Acme**. Read [the policies](https://example.com/p) carefully.

            ## Leave

            ### Parental leave

            Parents get *sixteen weeks* of paid leave.

            - Apply through the `HR portal`.
            - Tell your manager
              a month ahead.

            > Quoted advice.

            ```java
            int weeks = 16;
            ```

            ## Expenses

            Claims are paid monthly.
            """;

    @Test
    void headingsSetTheHeadingPathAndInlineMarkupIsDropped() throws Exception {
        ExtractedText out = new MarkdownReader().read(HANDBOOK.getBytes(StandardCharsets.UTF_8), "handbook.md");
        assertThat(out.title()).isEqualTo("Employee Handbook");
        assertThat(out.blocks()).extracting(b -> out.text().substring(b.start(), b.end()), TextBlock::kind, TextBlock::headingPath)
                .containsExactly(
                        tuple("Employee Handbook", BlockKind.HEADING, List.of("Employee Handbook")),
                        tuple("Welcome to Acme. Read the policies carefully.", BlockKind.PARAGRAPH, List.of("Employee Handbook")),
                        tuple("Leave", BlockKind.HEADING, List.of("Employee Handbook", "Leave")),
                        tuple("Parental leave", BlockKind.HEADING, List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("Parents get sixteen weeks of paid leave.", BlockKind.PARAGRAPH,
                                List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("Apply through the HR portal.", BlockKind.LIST_ITEM, List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("Tell your manager a month ahead.", BlockKind.LIST_ITEM, List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("Quoted advice.", BlockKind.QUOTE, List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("int weeks = 16;", BlockKind.CODE, List.of("Employee Handbook", "Leave", "Parental leave")),
                        tuple("Expenses", BlockKind.HEADING, List.of("Employee Handbook", "Expenses")),
                        tuple("Claims are paid monthly.", BlockKind.PARAGRAPH, List.of("Employee Handbook", "Expenses")));
    }

    @Test
    void documentWithOnlyMarkupIsRejectedAsEmpty() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new MarkdownReader().read("---\n\n***\n".getBytes(StandardCharsets.UTF_8), "rules.md"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.EMPTY));
    }
}
