package dev.gantry.knowledge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReaderTest {

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Backup policy</title>
              <style>body { color: red }</style>
              <script>var secret = "do not index";</script></head>
            <body>
              <header><a href="/">Home</a> | <a href="/docs">Docs</a></header>
              <nav><ul><li>Menu item</li></ul></nav>
              <main>
                <h1>Backups</h1>
                <p>Backups run <b>nightly</b> at 02:00<br>UTC.</p>
                <div>Loose text in a div <span>with a span</span>
                  <p>and a nested paragraph</p> then a tail.</div>
                <h2>Retention</h2>
                <ul><li>Daily copies: 14 days</li><li>Weekly copies: 8 weeks</li></ul>
                <table><tr><th>Tier</th><th>Days</th></tr><tr><td>Gold</td><td>90</td></tr></table>
                <pre>rsync -a /data /backup
              --delete</pre>
              </main>
              <footer>© Acme</footer>
              <noscript>Enable JavaScript</noscript>
            </body></html>
            """;

    @Test
    void extractsContentBlocksAndDropsScriptsStylesNavigationAndChrome() throws Exception {
        ExtractedText out = new HtmlReader().read(PAGE.getBytes(StandardCharsets.UTF_8), "backup.html");
        assertThat(out.title()).isEqualTo("Backup policy");
        assertThat(out.text()).doesNotContain("secret", "color", "Menu item", "Home", "Acme", "JavaScript");
        assertThat(out.blocks()).extracting(b -> out.text().substring(b.start(), b.end()), TextBlock::kind, TextBlock::headingPath)
                .containsExactly(
                        tuple("Backups", BlockKind.HEADING, List.of("Backups")),
                        tuple("Backups run nightly at 02:00 UTC.", BlockKind.PARAGRAPH, List.of("Backups")),
                        tuple("Loose text in a div with a span", BlockKind.PARAGRAPH, List.of("Backups")),
                        tuple("and a nested paragraph", BlockKind.PARAGRAPH, List.of("Backups")),
                        tuple("then a tail.", BlockKind.PARAGRAPH, List.of("Backups")),
                        tuple("Retention", BlockKind.HEADING, List.of("Backups", "Retention")),
                        tuple("Daily copies: 14 days", BlockKind.LIST_ITEM, List.of("Backups", "Retention")),
                        tuple("Weekly copies: 8 weeks", BlockKind.LIST_ITEM, List.of("Backups", "Retention")),
                        tuple("Tier | Days", BlockKind.TABLE_ROW, List.of("Backups", "Retention")),
                        tuple("Gold | 90", BlockKind.TABLE_ROW, List.of("Backups", "Retention")),
                        tuple("rsync -a /data /backup\n  --delete", BlockKind.CODE, List.of("Backups", "Retention")));
    }

    @Test
    void charsetDeclaredInMetaIsHonoured() throws Exception {
        byte[] latin1 = "<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\u00e9</p></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new HtmlReader().read(latin1, "cafe.html").text()).isEqualTo("café");
    }

    @Test
    void pageWithOnlyScriptsIsRejectedAsEmpty() {
        byte[] page = "<html><body><script>x()</script><nav>menu</nav></body></html>".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new HtmlReader().read(page, "app.html"))
                .isInstanceOfSatisfying(DocumentRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(DocumentRejectedException.Problem.EMPTY));
    }
}
