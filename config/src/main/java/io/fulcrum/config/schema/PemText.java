package io.fulcrum.config.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fulcrum.config.tls.Pem;
import io.fulcrum.config.tls.PemException;

/** PEM text as one command-language token: a JSON string, which the tokenizer reads back whole. */
final class PemText {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PemText() {
    }

    /** Parses PEM text; throws what is wrong with it. */
    interface Parser {
        void parse(String pem) throws PemException;
    }

    /**
     * {@code text} stripped and ending in one newline, when it is PEM that {@code parser} accepts.
     *
     * @param what  what the value must be, for the error
     * @param shown how the error shows what was given: ", got \"...\"" for a path, "" for a key
     *              (a key is never repeated)
     */
    static String checked(String text, String what, String shown, Parser parser) {
        if (!Pem.isPem(text)) {
            throw new InvalidValueException("must be " + what + "; the control plane reads no files: over RESP or "
                    + "gRPC give the PEM text itself as a JSON string" + shown);
        }
        try {
            parser.parse(text);
        } catch (PemException e) {
            throw new InvalidValueException(e.getMessage());
        }
        return text.strip() + "\n";
    }

    static String quote(String pem) {
        try {
            return JSON.writeValueAsString(pem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
