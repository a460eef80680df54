package dev.gantry.server.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code GET /v1/models}. */
public record ModelList(String object, List<Model> data) {

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }

    public static ModelList of(List<Model> models) {
        return new ModelList("list", models);
    }
}
