package org.fedoraproject.releng.workflow.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Request bodies read as JSON objects, one way for every route. A key given twice is refused: which
 * copy wins is up to the parser, so a person or a proxy reading the body could see one value while
 * the engine acts on the other.
 */
final class RequestJson {

    private static final String DUPLICATE = "Duplicate field '";

    private RequestJson() {}

    /** The body as a JSON object; an empty body is an empty object. */
    static JsonNode object(ObjectMapper json, String body, String example) {
        if (body.isBlank()) {
            return json.createObjectNode();
        }
        JsonNode tree;
        try {
            tree = json.reader()
                    .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body);
        } catch (JsonParseException e) {
            throw new HttpErrors.BadRequest(duplicateKey(e));
        } catch (IOException e) {
            throw new HttpErrors.BadRequest("the body is not JSON: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw new HttpErrors.BadRequest("the body must be a JSON object such as " + example);
        }
        return tree;
    }

    private static String duplicateKey(JsonParseException e) {
        String message = e.getOriginalMessage();
        if (!message.startsWith(DUPLICATE) || !message.endsWith("'")) {
            return "the body is not JSON: " + e.getMessage();
        }
        String key = message.substring(DUPLICATE.length(), message.length() - 1);
        var at = e.getLocation();
        return "duplicate key `" + key + "` in the JSON body"
                + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                + ": give each key once";
    }
}
