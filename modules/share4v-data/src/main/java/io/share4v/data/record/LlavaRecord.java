package io.share4v.data.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One element of a LLaVA/ShareGPT4V JSON array. {@code image} is null for text-only samples (the reference
 * tests {@code 'image' in sample}).
 */
public record LlavaRecord(String id, String image, List<Turn> conversations) {
    public LlavaRecord {
        conversations = List.copyOf(conversations);
    }

    public boolean hasImage() {
        return image != null;
    }

    /**
     * Validates the JSON shape. Numbers as ids are accepted (some third-party mixes use them) and rendered
     * as their JSON text; everything else that the reference would crash on is rejected with a reason.
     */
    public static LlavaRecord fromJson(JsonNode node) throws RecordRejectedException {
        if (node == null || !node.isObject()) {
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_RECORD,
                    "array element is " + (node == null ? "missing" : node.getNodeType()) + ", expected an object");
        }
        JsonNode idNode = node.get("id");
        if (idNode == null || idNode.isNull()) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "no \"id\"");
        }
        if (!idNode.isTextual() && !idNode.isIntegralNumber()) {
            throw new RecordRejectedException(RejectReason.MALFORMED_RECORD, "\"id\" is " + idNode.getNodeType());
        }
        String id = idNode.asText();
        String image = null;
        JsonNode imageNode = node.get("image");
        if (imageNode != null) {
            // The reference tests `'image' in sample` and then opens the path, so a null image crashes it.
            if (!imageNode.isTextual()) {
                throw new RecordRejectedException(
                        RejectReason.MALFORMED_RECORD,
                        "\"image\" is " + imageNode.getNodeType() + ", expected a relative path string");
            }
            image = imageNode.asText();
        }
        JsonNode conv = node.get("conversations");
        if (conv == null || conv.isNull()) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "no \"conversations\"");
        }
        if (!conv.isArray()) {
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_RECORD,
                    "\"conversations\" is " + conv.getNodeType() + ", expected an array");
        }
        List<Turn> turns = new ArrayList<>(conv.size());
        for (int i = 0; i < conv.size(); i++) {
            JsonNode t = conv.get(i);
            if (!t.isObject()) {
                throw new RecordRejectedException(RejectReason.MALFORMED_RECORD, "turn " + i + " is not an object");
            }
            JsonNode from = t.get("from");
            JsonNode value = t.get("value");
            if (from == null || value == null || from.isNull() || value.isNull()) {
                throw new RecordRejectedException(
                        RejectReason.MISSING_FIELD,
                        "turn " + i + " lacks \"" + (from == null || from.isNull() ? "from" : "value") + "\"");
            }
            if (!from.isTextual() || !value.isTextual()) {
                throw new RecordRejectedException(
                        RejectReason.MALFORMED_RECORD, "turn " + i + " has non-string \"from\"/\"value\"");
            }
            turns.add(new Turn(from.asText(), value.asText()));
        }
        return new LlavaRecord(id, image, turns);
    }
}
