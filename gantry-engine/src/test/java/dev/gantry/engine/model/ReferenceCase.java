package dev.gantry.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.support.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code reference/greedy-llamacpp.jsonl}: llama.cpp's greedy continuation of a prompt, with the top-5
 * log-probabilities it reported.
 *
 * <p>NOTE: llama-server reports probabilities once per streamed chunk, and holds a token back while the text so
 * far ends inside a UTF-8 sequence ({@code validate_utf8}); control and unknown tokens print as nothing. So entry
 * {@code k} of {@code top} belongs to the k-th generated position at which the text is complete, which
 * {@link #reportedPositions} recomputes. Where llama.cpp's top-1 was EOS, generation (EOS ignored) took the
 * runner-up, so the generated id there differs from the reported top-1.
 */
record ReferenceCase(String model, String prompt, int[] promptIds, int[] generatedIds, List<double[][]> top) {

    private static final Pattern BYTE_PIECE = Pattern.compile("<0x([0-9A-Fa-f]{2})>");

    static List<ReferenceCase> all() {
        ObjectMapper json = new ObjectMapper();
        try {
            List<ReferenceCase> cases = new ArrayList<>();
            for (String line : Files.readAllLines(SharedData.resolve("reference/greedy-llamacpp.jsonl"))) {
                JsonNode n = json.readTree(line);
                List<double[][]> top = new ArrayList<>();
                for (JsonNode position : n.get("top_logprobs")) {
                    double[][] entries = new double[position.size()][];
                    for (int i = 0; i < position.size(); i++) {
                        entries[i] = new double[] {position.get(i).get(0).asDouble(), position.get(i).get(1).asDouble()};
                    }
                    top.add(entries);
                }
                cases.add(new ReferenceCase(n.get("model").asText(), n.get("prompt").asText(),
                        ints(n.get("prompt_ids")), ints(n.get("generated_ids")), top));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    int[] allIds() {
        int[] ids = new int[promptIds.length + generatedIds.length];
        System.arraycopy(promptIds, 0, ids, 0, promptIds.length);
        System.arraycopy(generatedIds, 0, ids, promptIds.length, generatedIds.length);
        return ids;
    }

    /** For each entry of {@link #top}, the index into {@link #generatedIds} it was reported at. */
    int[] reportedPositions(GgufMetadata vocab) {
        String[] pieces = vocab.strings("tokenizer.ggml.tokens");
        int[] types = vocab.ints("tokenizer.ggml.token_type");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int[] positions = new int[top.size()];
        int k = 0;
        for (int j = 0; j < generatedIds.length && k < positions.length; j++) {
            int id = generatedIds[j];
            if (types[id] != 2 && types[id] != 3) {
                Matcher m = BYTE_PIECE.matcher(pieces[id]);
                if (types[id] == 6 && m.matches()) {
                    bytes.write(Integer.parseInt(m.group(1), 16));
                } else {
                    bytes.writeBytes(pieces[id].replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8));
                }
            }
            if (endsOnCharacterBoundary(bytes.toByteArray())) {
                positions[k++] = j;
            }
        }
        if (k != positions.length) {
            throw new IllegalStateException(model + " '" + prompt + "': could not align " + positions.length + " reported positions");
        }
        return positions;
    }

    /** llama-server's validate_utf8: false when the last bytes start a multi-byte sequence they do not finish. */
    private static boolean endsOnCharacterBoundary(byte[] b) {
        for (int i = 1; i <= 4 && i <= b.length; i++) {
            int c = b[b.length - i] & 0xFF;
            if ((c & 0xE0) == 0xC0 && i < 2 || (c & 0xF0) == 0xE0 && i < 3 || (c & 0xF8) == 0xF0 && i < 4) {
                return false;
            }
        }
        return true;
    }

    /** Whether the reference's two best tokens at entry k are within {@code tie} (either counts as the argmax). */
    boolean nearTie(int k, double tie) {
        double[][] e = top.get(k);
        return e.length > 1 && Math.abs(e[0][1] - e[1][1]) < tie;
    }

    @Override
    public String toString() {
        return model + " '" + prompt + "'";
    }
}
