package dev.gantry.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.EngineMetrics;
import dev.gantry.server.support.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A client that hangs up mid-stream cancels its generation: the KV blocks are free again at once. */
class StreamDisconnectServerTest {

    @Test
    void disconnectMidStreamCancelsTheGenerationAndFreesItsKvBlocks() throws Exception {
        try (TestServer server = TestServer.start()) {
            int eos = server.model().tokenizer().eosId();
            int context = server.model().config().contextLength();
            int maxTokens = context - 16;
            // EOS is banned so the story cannot end by itself before the client hangs up.
            String body = "{\"prompt\":\"Once upon a time\",\"stream\":true,\"max_tokens\":" + maxTokens
                    + ",\"logit_bias\":{\"" + eos + "\":-100}}";
            long before = server.engine().metrics().generatedTokens();
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                OutputStream out = socket.getOutputStream();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                out.write(("POST /v1/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(bytes);
                out.flush();
                InputStream in = socket.getInputStream();
                String seen = "";
                byte[] buf = new byte[256];
                while (!seen.contains("data: {")) {
                    int n = in.read(buf);
                    assertThat(n).as("the stream started").isPositive();
                    seen += new String(buf, 0, n, StandardCharsets.UTF_8);
                }
                assertThat(seen).startsWith("HTTP/1.1 200");
                socket.setSoLinger(true, 0); // reset, so the server's next write fails at once
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            EngineMetrics m = server.engine().metrics();
            while ((m.kvBlocksUsed() > 0 || m.running() > 0) && System.nanoTime() < deadline) {
                Thread.sleep(10);
                m = server.engine().metrics();
            }
            assertThat(m.kvBlocksUsed()).isZero();
            assertThat(m.running()).isZero();
            assertThat(m.generatedTokens() - before).as("cancelled long before max_tokens").isLessThan(maxTokens);
            assertThat(server.get("/health/ready").statusCode()).isEqualTo(200);
        }
    }
}
