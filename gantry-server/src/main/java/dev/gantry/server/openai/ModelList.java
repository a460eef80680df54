package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.gantry.server.models.AvailableModel;
import java.util.List;

/** The body of {@code GET /v1/models}; {@link Model} alone is the body of {@code GET /v1/models/{id}}. */
public record ModelList(String object, List<Model> data) {

    /** OpenAI's model object; {@code created} is when the file was written, in seconds since the epoch. */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {

        static Model of(AvailableModel m) {
            return new Model(m.id(), "model", m.modified().getEpochSecond(), "gantry");
        }
    }

    public static ModelList of(List<Model> models) {
        return new ModelList("list", models);
    }
}
