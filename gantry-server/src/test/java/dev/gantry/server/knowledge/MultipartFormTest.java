package dev.gantry.server.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.server.openai.ApiException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The multipart/form-data reader against RFC 7578 / RFC 2046 bodies, as browsers and curl send them. */
class MultipartFormTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsFieldsAndFilesWithTheirTypesAndIgnoresPreambleAndEpilogue() {
        String body = "ignored preamble\r\n--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"a\":\"b\"}\r\n"
                + "--XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"we \\\"quote\\\".md\"\r\n"
                + "Content-Type: text/markdown\r\n\r\n# Title\r\n\r\nline --XyZ not a boundary\r\n"
                + "--XyZ--\r\nepilogue";
        MultipartForm form = MultipartForm.parse(bytes(body), "XyZ");
        assertThat(form.parts()).hasSize(2);
        assertThat(form.parts().get(0).name()).isEqualTo("metadata");
        assertThat(form.parts().get(0).fileName()).isNull();
        assertThat(form.parts().get(0).text()).isEqualTo("{\"a\":\"b\"}");
        MultipartForm.Part file = form.parts().get(1);
        assertThat(file.fileName()).isEqualTo("we \"quote\".md");
        assertThat(file.contentType()).isEqualTo("text/markdown");
        assertThat(file.text()).isEqualTo("# Title\r\n\r\nline --XyZ not a boundary");
    }

    @Test
    void extendedFileNameIsDecodedAsUtf8() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"fallback.txt\";"
                + " filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n\r\nx\r\n--b--";
        assertThat(MultipartForm.parse(bytes(body), "b").parts().getFirst().fileName()).isEqualTo("résumé.txt");
    }

    @Test
    void emptyPartBodyAndBinaryContentSurviveByteForByte() {
        byte[] head = bytes("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n\r\n");
        byte[] binary = {0, '\r', '\n', '-', '-', 'c', 'x', (byte) 0xff};  // CRLF--b would end the part (RFC 2046)
        byte[] tail = bytes("\r\n--b\r\nContent-Disposition: form-data; name=\"empty\"\r\n\r\n\r\n--b--\r\n");
        byte[] body = new byte[head.length + binary.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(binary, 0, body, head.length, binary.length);
        System.arraycopy(tail, 0, body, head.length + binary.length, tail.length);
        MultipartForm form = MultipartForm.parse(body, "b");
        assertThat(form.parts().get(0).body()).containsExactly(binary);
        assertThat(form.parts().get(1).body()).isEmpty();
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=\"a b\"")).isEqualTo("a b");
        assertThat(MultipartForm.boundary("multipart/form-data; charset=utf-8; boundary=----WebKit123")).isEqualTo("----WebKit123");
        assertThatThrownBy(() -> MultipartForm.boundary("multipart/form-data")).isInstanceOf(ApiException.class);
    }

    @Test
    void malformedBodiesAre400() {
        for (String bad : new String[] {
                "no boundary at all",
                "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nnever closed",
                "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--",
                "--b\r\nContent-Disposition: form-data; filename=\"x\"\r\n\r\nx\r\n--b--",
                "--b\r\nnot a header\r\n\r\nx\r\n--b--"}) {
            assertThatThrownBy(() -> MultipartForm.parse(bytes(bad), "b")).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
