package io.fulcrum.config.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fulcrum.config.ConfigException;
import io.fulcrum.config.command.CertKeyFiles;
import java.nio.file.Path;
import java.util.stream.StreamSupport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.google.protobuf.Message;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.InvalidValueException;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import io.fulcrum.proto.v1.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The declarative format of {@code fctl apply -f} and {@code fctl get -o yaml}: YAML documents of
 * kinds EventLoopGroup, SecurityGroup, ServerGroup, Upstream, TcpLb and Vip, each with
 * {@code apiVersion: fulcrum.io/v1}, {@code metadata.name} and a {@code spec} whose keys are the
 * command-language parameters in camelCase ({@code in-buffer-size} is {@code inBufferSize}).
 * Children are listed inline: {@code eventLoops}, {@code rules}, {@code servers},
 * {@code serverGroups}. Values are checked with the same rules as commands.
 */
public final class Manifest {
    public static final String API_VERSION = "fulcrum.io/v1";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    private static final ObjectMapper JSON = new ObjectMapper();

    private Manifest() {
    }

    /** The kinds a document may declare, with the spec key of their children. */
    enum DocumentKind {
        EventLoopGroup(Kind.EVENT_LOOP_GROUP, "eventLoops"),
        SecurityGroup(Kind.SECURITY_GROUP, "rules"),
        ServerGroup(Kind.SERVER_GROUP, "servers"),
        Upstream(Kind.UPSTREAM, "serverGroups"),
        TcpLb(Kind.TCP_LB, null),
        Vip(Kind.VIP, null),
        CertKey(Kind.CERT_KEY, null);

        final Kind kind;
        final String childrenKey;

        DocumentKind(Kind kind, String childrenKey) {
            this.kind = kind;
            this.childrenKey = childrenKey;
        }

        static DocumentKind of(Kind kind) {
            for (DocumentKind d : values()) {
                if (d.kind == kind) {
                    return d;
                }
            }
            throw new IllegalArgumentException("no document kind for " + kind);
        }
    }

    /**
     * The resources declared in {@code yaml}, with only the given fields set.
     *
     * @throws ManifestException naming the document, the key and what is allowed
     */
    public static Config read(String yaml) {
        return read(yaml, null);
    }

    /**
     * Like {@link #read(String)}; a CertKey's {@code certFile} (comma-separated paths or a list,
     * leaf first) and {@code keyFile} are read relative to {@code base}, the manifest file's
     * directory, instead of {@code cert}/{@code key} PEM text.
     *
     * @param base null: file keys are refused (the manifest came from no file)
     */
    public static Config read(String yaml, Path base) {
        Config.Builder config = Config.newBuilder();
        int index = 0;
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                index++;
                if (document == null || document.isNull() || document.isMissingNode()) {
                    continue;
                }
                readDocument(config, document, index, base);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ManifestException manifest) {
                throw manifest;
            }
            // Jackson and SnakeYAML report syntax errors as checked or runtime exceptions
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new ManifestException("not valid YAML" + (index > 0 ? " after document " + index : "") + ": " + why);
        }
        return config.build();
    }

    private static void readDocument(Config.Builder config, JsonNode document, int index, Path base) {
        String where = "document " + index;
        if (!document.isObject()) {
            throw new ManifestException(where + ": must be a mapping with apiVersion, kind, metadata and spec");
        }
        String apiVersion = document.path("apiVersion").asText("");
        if (!apiVersion.equals(API_VERSION)) {
            throw new ManifestException(where + ": apiVersion must be " + API_VERSION + ", got \"" + apiVersion + "\"");
        }
        DocumentKind kind;
        try {
            kind = DocumentKind.valueOf(document.path("kind").asText(""));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + ": kind must be one of " + List.of(DocumentKind.values()) + ", got \""
                    + document.path("kind").asText("") + "\"");
        }
        String name = document.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            throw new ManifestException(where + " (" + kind + "): metadata.name is required");
        }
        where = where + " (" + kind + " " + name + ")";
        JsonNode spec = document.path("spec");
        if (!spec.isMissingNode() && !spec.isObject()) {
            throw new ManifestException(where + ": spec must be a mapping");
        }
        if (kind.kind == Kind.CERT_KEY && spec.isObject()) {
            spec = withFilesRead((ObjectNode) spec, base, where + ": spec");
        }
        Message.Builder resource = readFields(kind.kind, name, spec, kind.childrenKey, where + ": spec");
        if (kind.childrenKey != null && spec.has(kind.childrenKey)) {
            Kind child = kind.kind.children().get(0);
            JsonNode list = spec.get(kind.childrenKey);
            if (!list.isArray()) {
                throw new ManifestException(where + ": spec." + kind.childrenKey + " must be a list");
            }
            for (int i = 0; i < list.size(); i++) {
                String path = where + ": spec." + kind.childrenKey + "[" + i + "]";
                JsonNode item = list.get(i).isTextual() ? JsonNodeFactory.instance.objectNode().put("name", list.get(i).asText())
                        : list.get(i);
                String childName = item.path("name").asText("");
                if (childName.isEmpty()) {
                    throw new ManifestException(path + ": name is required");
                }
                resource.addRepeatedField(child.listField(), readFields(child, childName, item, null, path).build());
            }
        }
        config.addRepeatedField(kind.kind.listField(), resource.build());
    }

    /** {@code certFile}/{@code keyFile} replaced by the PEM text of the files they name (as fctl add cert-key does). */
    private static JsonNode withFilesRead(ObjectNode spec, Path base, String where) {
        ObjectNode read = spec.deepCopy();
        for (String[] pair : new String[][] {{"certFile", "cert"}, {"keyFile", "key"}}) {
            JsonNode paths = read.remove(pair[0]);
            if (paths == null) {
                continue;
            }
            if (read.has(pair[1])) {
                throw new ManifestException(where + ": give " + pair[1] + " (PEM text) or " + pair[0] + " (paths), not both");
            }
            if (base == null) {
                throw new ManifestException(where + "." + pair[0] + ": file paths need a manifest file to be relative to "
                        + "(fctl apply -f FILE); give " + pair[1] + " as PEM text");
            }
            String joined = paths.isArray() ? String.join(",", StreamSupport.stream(paths.spliterator(), false)
                    .map(JsonNode::asText).toList()) : paths.asText("");
            if (joined.isBlank()) {
                throw new ManifestException(where + "." + pair[0] + ": must be a path or a list of paths");
            }
            try {
                read.put(pair[1], CertKeyFiles.readPem(joined, base));
            } catch (ConfigException e) {
                throw new ManifestException(where + "." + pair[0] + ": " + e.getMessage());
            }
        }
        return read;
    }

    private static Message.Builder readFields(Kind kind, String name, JsonNode node, String childrenKey, String where) {
        Message.Builder resource = kind.newBuilder();
        kind.setName(resource, name);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            if (key.equals("name") || key.equals(childrenKey)) {
                continue;
            }
            Field field = fieldOf(kind, key);
            if (field == null) {
                throw new ManifestException(where + ": unknown key " + key + "; allowed: " + String.join(", ", keys(kind, childrenKey)));
            }
            try {
                field.set(resource, field.type().parse(token(entry.getValue())));
            } catch (InvalidValueException e) {
                throw new ManifestException(where + "." + key + ": " + e.getMessage());
            }
        }
        return resource;
    }

    private static String token(JsonNode value) {
        if (value.isObject()) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(v -> parts.add(v.asText()));
            return String.join(",", parts);
        }
        return value.asText();
    }

    private static Field fieldOf(Kind kind, String key) {
        for (Field field : Schema.fields(kind)) {
            if (camel(field.param()).equals(key)) {
                return field;
            }
        }
        return null;
    }

    private static List<String> keys(Kind kind, String childrenKey) {
        List<String> keys = new ArrayList<>(Schema.fields(kind).stream().map(f -> camel(f.param())).toList());
        if (childrenKey != null) {
            keys.add(childrenKey);
        }
        return keys;
    }

    /**
     * One resource of {@code kind} named {@code name} from a JSON object of camelCase fields (the
     * REST API's bodies; a "name" key is skipped), checked like a manifest's spec.
     *
     * @param where how errors name the object, e.g. "body"
     * @throws ManifestException naming {@code where}, the key and what is allowed
     */
    public static Message.Builder readResource(Kind kind, String name, JsonNode object, String where) {
        if (!object.isObject()) {
            throw new ManifestException(where + ": must be a JSON object of " + kind.word() + " fields; allowed keys: "
                    + String.join(", ", keys(kind, null)));
        }
        return readFields(kind, name, object, null, where);
    }

    /** One resource as a JSON object: "name" and every field that applies, camelCase (the REST API's bodies). */
    public static ObjectNode writeResource(Kind kind, Message resource) {
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("name", kind.nameOf(resource));
        return writeFields(kind, resource, node);
    }

    /** The schema field of {@code kind} whose camelCase key is {@code key}; null if none. */
    public static Field fieldOfKey(Kind kind, String key) {
        return fieldOf(kind, key);
    }

    /** "in-buffer-size" is "inBufferSize". */
    public static String camel(String param) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : param.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /**
     * {@code config}'s resources as manifest documents, every field written out (except those that
     * only apply with a parameter the resource does not set, such as discovery-interval).
     */
    public static String write(Config config) {
        StringBuilder yaml = new StringBuilder();
        for (Kind kind : Kind.topLevel()) {
            for (Object item : (List<?>) config.getField(kind.listField())) {
                if (yaml.length() > 0) {
                    yaml.append("---\n");
                }
                yaml.append(write(kind, (Message) item));
            }
        }
        return yaml.toString();
    }

    /** One resource as a document. */
    public static String write(Kind kind, Message resource) {
        DocumentKind documentKind = DocumentKind.of(kind);
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.put("apiVersion", API_VERSION).put("kind", documentKind.name());
        document.putObject("metadata").put("name", kind.nameOf(resource));
        ObjectNode spec = writeFields(kind, resource, document.putObject("spec"));
        if (documentKind.childrenKey != null) {
            Kind child = kind.children().get(0);
            ArrayNode list = spec.putArray(documentKind.childrenKey);
            for (Object item : (List<?>) resource.getField(child.listField())) {
                Message c = (Message) item;
                ObjectNode node = list.addObject().put("name", child.nameOf(c));
                writeFields(child, c, node);
            }
        }
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode writeFields(Kind kind, Message resource, ObjectNode node) {
        for (Field field : Schema.fields(kind)) {
            if (!field.appliesTo(resource)) {
                continue;
            }
            String key = camel(field.param());
            if (kind == Kind.CERT_KEY) {
                // PEM as YAML text; a key never leaves the cluster through get (only save writes it)
                node.put(key, field.param().equals("key") ? "(secret)" : (String) field.get(resource));
                continue;
            }
            String token = field.format(resource);
            if (token.startsWith("{")) {
                try {
                    node.set(key, JSON.readTree(token));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else if (token.matches("-?\\d{1,9}")) {
                node.put(key, Integer.parseInt(token));
            } else if (token.equals("true") || token.equals("false")) {
                node.put(key, Boolean.parseBoolean(token)); // read back as its text, like a number
            } else {
                node.put(key, token);
            }
        }
        return node;
    }

    /** "ServerGroup". */
    public static String documentKind(Kind kind) {
        return DocumentKind.of(kind).name();
    }
}
