package dev.gantry.app.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PullSourceTest {

    private static final URI HF = PullSource.HUGGING_FACE;

    @Test
    void aResolveUrlIsTakenAsItIs() {
        PullSource s = PullSource.parse("https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf", HF);
        assertThat(s.uri()).hasToString("https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf");
        assertThat(s.fileName()).isEqualTo("Qwen3-0.6B-Q8_0.gguf");
    }

    @Test
    void aBlobPageLinkBecomesItsDownloadLink() {
        PullSource s = PullSource.parse("https://huggingface.co/org/repo/blob/main/sub/m.gguf?download=true", HF);
        assertThat(s.uri().getPath()).isEqualTo("/org/repo/resolve/main/sub/m.gguf");
        assertThat(s.fileName()).isEqualTo("m.gguf");
    }

    @Test
    void theHfSchemeAndTheColonShorthandResolveOnMainOrTheGivenRevision() {
        assertThat(PullSource.parse("hf://org/repo/dir/m.gguf", HF).uri())
                .hasToString("https://huggingface.co/org/repo/resolve/main/dir/m.gguf");
        assertThat(PullSource.parse("hf://org/repo@v1.0/m.gguf", HF).uri())
                .hasToString("https://huggingface.co/org/repo/resolve/v1.0/m.gguf");
        assertThat(PullSource.parse("bartowski/Llama-3.2-1B-Instruct-GGUF:Llama-3.2-1B-Instruct-Q4_K_M.gguf", HF).uri())
                .hasToString("https://huggingface.co/bartowski/Llama-3.2-1B-Instruct-GGUF/resolve/main/"
                        + "Llama-3.2-1B-Instruct-Q4_K_M.gguf");
        assertThat(PullSource.parse("org/repo:m.gguf", URI.create("http://mirror.local:8000/")).uri())
                .hasToString("http://mirror.local:8000/org/repo/resolve/main/m.gguf");
    }

    @Test
    void onlyGgufFilesWithPlainNamesArePulled() {
        assertThatThrownBy(() -> PullSource.parse("hf://org/repo/model.safetensors", HF))
                .hasMessageContaining("does not name a .gguf file");
        assertThatThrownBy(() -> PullSource.parse("https://huggingface.co/org/repo/resolve/main/%2e%2e%2fx.gguf", HF))
                .hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> PullSource.parse("ftp://host/m.gguf", HF)).hasMessageContaining("is not a model to pull");
        assertThatThrownBy(() -> PullSource.parse("llama3", HF)).hasMessageContaining("is not a model to pull");
    }
}
