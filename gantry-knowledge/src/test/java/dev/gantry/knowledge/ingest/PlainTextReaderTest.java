package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainTextReaderTest {
    private final PlainTextReader reader = new PlainTextReader();

    @Test
    void paragraphsAreBlocksWithOffsetsIntoTheUnchangedText() throws Exception {
        String text = "  First paragraph\nstill first.\n\n\n   Second one.  \n \nThird.";
        ExtractedText out = reader.read(text.getBytes(StandardCharsets.UTF_8), "a.txt");
        assertThat(out.text()).isEqualTo(text);
        assertThat(out.blocks()).extracting(b -> text.substring(b.start(), b.end()))
                .containsExactly("First paragraph\nstill first.", "Second one.", "Third.");
        assertThat(out.blocks()).allMatch(b -> b.kind() == BlockKind.PARAGRAPH && b.page() == 0);
    }

    @Test
    void byteOrderMarkIsDroppedAndNonUtf8FallsBackToWindows1252() throws Exception {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'};
        assertThat(reader.read(bom, "bom.txt").text()).isEqualTo("hi");
        byte[] latin = {'c', 'a', 'f', (byte) 0xe9};
        assertThat(reader.read(latin, "cafe.txt").text()).isEqualTo("café");
    }

    @Test
    void binaryContentIsRejectedAsUnreadable() {
        byte[] binary = {'P', 'K', 3, 4, 0, 0, 1};
        assertThatThrownBy(() -> reader.read(binary, "archive.txt"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.UNREADABLE))
                .hasMessageContaining("archive.txt").hasMessageContaining("binary");
    }

    @Test
    void whitespaceOnlyTextIsRejectedAsEmpty() {
        assertThatThrownBy(() -> reader.read(" \n\n\t ".getBytes(StandardCharsets.UTF_8), "blank.txt"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.EMPTY));
    }
}
