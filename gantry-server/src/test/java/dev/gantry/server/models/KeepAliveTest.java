package dev.gantry.server.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeepAliveTest {

    @Test
    void readsOllamaStyleDurations() {
        assertThat(KeepAlive.parse("5m").idle()).contains(Duration.ofMinutes(5));
        assertThat(KeepAlive.parse("30s").idle()).contains(Duration.ofSeconds(30));
        assertThat(KeepAlive.parse("1h30m").idle()).contains(Duration.ofMinutes(90));
        assertThat(KeepAlive.parse("250ms").idle()).contains(Duration.ofMillis(250));
        assertThat(KeepAlive.parse("120").idle()).contains(Duration.ofSeconds(120));
        assertThat(KeepAlive.parse("0").idle()).contains(Duration.ZERO);
    }

    @Test
    void negativeOrForeverMeansNever() {
        assertThat(KeepAlive.parse("-1").forever()).isTrue();
        assertThat(KeepAlive.parse("-1m").forever()).isTrue();
        assertThat(KeepAlive.parse("forever").forever()).isTrue();
        assertThat(KeepAlive.parse("5m").forever()).isFalse();
    }

    @Test
    void rejectsWhatIsNotADuration() {
        assertThatThrownBy(() -> KeepAlive.parse("5 minutes")).hasMessageContaining("is not a keep-alive");
        assertThatThrownBy(() -> KeepAlive.parse("m5")).hasMessageContaining("is not a keep-alive");
        assertThatThrownBy(() -> KeepAlive.parse("")).hasMessageContaining("is not a keep-alive");
    }
}
