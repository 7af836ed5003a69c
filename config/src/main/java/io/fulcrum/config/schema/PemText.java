package io.fulcrum.config.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** PEM text as one command-language token: a JSON string, which the tokenizer reads back whole. */
final class PemText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PemText() {
    }

    static String quote(String pem) {
        try {
            return JSON.writeValueAsString(pem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
