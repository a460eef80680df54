package dev.gantry.server.knowledge;

/** The answer to a DELETE, in the shape of OpenAI's {@code file.deleted}: {@code {"id", "object", "deleted": true}}. */
record DeletedObject(String id, String object, boolean deleted) {

    static DeletedObject of(String id, String object) {
        return new DeletedObject(id, object, true);
    }
}
