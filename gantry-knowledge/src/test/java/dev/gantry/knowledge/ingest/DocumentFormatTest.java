package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentFormatTest {
    private static final byte[] TEXT = "hello".getBytes(StandardCharsets.UTF_8);

    @Test
    void declaredTypeWinsAndItsParametersAreIgnored() throws Exception {
        assertThat(DocumentFormat.detect("text/markdown; charset=utf-8", "notes.txt", TEXT)).isEqualTo(DocumentFormat.MARKDOWN);
    }

    @Test
    void octetStreamFallsBackToTheExtensionThenToMagicBytes() throws Exception {
        assertThat(DocumentFormat.detect("application/octet-stream", "Guide.HTM", TEXT)).isEqualTo(DocumentFormat.HTML);
        assertThat(DocumentFormat.detect(null, "upload", "%PDF-1.7 ...".getBytes(StandardCharsets.ISO_8859_1)))
                .isEqualTo(DocumentFormat.PDF);
        assertThat(DocumentFormat.detect(null, "page", " <!DOCTYPE html><p>x".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(DocumentFormat.HTML);
    }

    @Test
    void unsupportedTypeNamesTheTypeAndWhatIsSupported() {
        assertThatThrownBy(() -> DocumentFormat.detect("application/zip", "a.zip", TEXT))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.UNSUPPORTED_TYPE))
                .hasMessageContaining("application/zip").hasMessageContaining("application/pdf");
        assertThatThrownBy(() -> DocumentFormat.detect(null, "slides.pptx", TEXT))
                .hasMessageContaining("slides.pptx");
    }

    @Test
    void sizeLimitAndZeroBytesAreCheckedBeforeReading() {
        DocumentReaders readers = new DocumentReaders(10);
        assertThatThrownBy(() -> readers.checkSize("big.txt", 11))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.TOO_LARGE))
                .hasMessageContaining("11 bytes").hasMessageContaining("10 bytes");
        assertThatThrownBy(() -> readers.checkSize("nothing.txt", 0))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.EMPTY));
    }
}
