package dev.gantry.engine.chat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class StrftimeTest {

    private static final LocalDateTime T = LocalDateTime.of(2026, 11, 2, 15, 4, 5);

    /** Expected values are glibc strftime's in the C locale. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%d %b %Y|02 Nov 2026", "%b %d %Y %H:%M:%S GMT|Nov 02 2026 15:04:05 GMT", "%A %B %e|Monday November  2",
        "%a %j %y %m|Mon 306 26 11", "%I:%M %p|03:04 PM", "%F %T|2026-11-02 15:04:05", "100%%|100%", "%Q|%Q"})
    void formatsAsCStrftimeInTheCLocale(String format, String expected) {
        assertThat(Strftime.format(T, format)).isEqualTo(expected);
    }
}
