package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PdfReaderTest {

    @Test
    void everyBlockCarriesItsPageNumber() throws Exception {
        byte[] pdf = PdfFixtures.pdf("Operations manual", List.of(
                List.of("The first page talks about deployment.", "Deploys happen on Tuesdays."),
                List.of("The second page covers incident response."),
                List.of("Page three lists the on-call rota.")));
        ExtractedText out = new PdfReader().read(pdf, "ops.pdf");
        assertThat(out.title()).isEqualTo("Operations manual");
        assertThat(out.pages()).isEqualTo(3);
        assertThat(out.blocks()).extracting(b -> out.text().substring(b.start(), b.end()), TextBlock::page)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple("The first page talks about deployment.", 1),
                        org.assertj.core.api.Assertions.tuple("Deploys happen on Tuesdays.", 1),
                        org.assertj.core.api.Assertions.tuple("The second page covers incident response.", 2),
                        org.assertj.core.api.Assertions.tuple("Page three lists the on-call rota.", 3));
    }

    @Test
    void corruptPdfIsRejectedAsUnreadable() throws Exception {
        byte[] pdf = PdfFixtures.pdf(null, List.of(List.of("Some text.")));
        byte[] truncated = Arrays.copyOf(pdf, 40);
        assertThatThrownBy(() -> new PdfReader().read(truncated, "broken.pdf"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.UNREADABLE))
                .hasMessageContaining("broken.pdf").hasMessageContaining("not a readable PDF");
    }

    @Test
    void pdfWithoutTextLayerIsRejectedAsEmpty() throws Exception {
        byte[] blank = PdfFixtures.pdf(null, List.of(List.of(), List.of()));
        assertThatThrownBy(() -> new PdfReader().read(blank, "scan.pdf"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.EMPTY))
                .hasMessageContaining("OCR");
    }
}
