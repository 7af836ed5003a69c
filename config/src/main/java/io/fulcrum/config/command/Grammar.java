package io.fulcrum.config.command;

import static io.fulcrum.config.command.Action.ADD;
import static io.fulcrum.config.command.Action.LIST;
import static io.fulcrum.config.command.Action.LIST_DETAIL;
import static io.fulcrum.config.command.Action.REMOVE;
import static io.fulcrum.config.command.Action.UPDATE;

import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grammar table of the command language: every (action, type, container) form with its
 * parameters and an example. Derived from {@link Schema} (which fields a kind has, which are
 * updatable) plus the examples below; the parser, {@code man} and docs/commands.md all read it.
 *
 * <pre>ACTION TYPE [NAME] [in|to|from TYPE NAME] [PARAM VALUE]...</pre>
 */
public final class Grammar {
    /** The type words in the order help and docs present them. */
    private static final List<Kind> PRESENTATION = List.of(Kind.EVENT_LOOP_GROUP, Kind.EVENT_LOOP,
            Kind.SERVER_GROUP, Kind.SERVER_GROUP_LINK, Kind.SERVER, Kind.UPSTREAM, Kind.TCP_LB,
            Kind.SECURITY_GROUP, Kind.SECURITY_GROUP_RULE, Kind.VIP, Kind.CERT_KEY);

    private static final List<CommandSpec> SPECS = build();

    private Grammar() {
    }

    /** Every form, grouped by type in presentation order, then by action. */
    public static List<CommandSpec> specs() {
        return SPECS;
    }

    /** The forms of one type word ("server-group" has both groups and upstream links). */
    public static List<CommandSpec> specs(String typeWord) {
        return SPECS.stream().filter(s -> s.typeWord().equals(typeWord)).toList();
    }

    /** The form for an action on a type with the given container kind (null: none), or null. */
    public static CommandSpec find(Action action, String typeWord, Kind container) {
        for (CommandSpec spec : SPECS) {
            if (spec.action() == action && spec.typeWord().equals(typeWord) && spec.container() == container) {
                return spec;
            }
        }
        return null;
    }

    /** The distinct type words, in presentation order. */
    public static List<String> typeWords() {
        return PRESENTATION.stream().map(Kind::word).distinct().toList();
    }

    /** The canonical type word for a long or short spelling, or null. */
    public static String typeWord(String token) {
        for (Kind kind : PRESENTATION) {
            if (kind.word().equals(token) || kind.shortWord().equals(token)) {
                return kind.word();
            }
        }
        return null;
    }

    /** "server-group (sg)". */
    public static String displayType(String typeWord) {
        for (Kind kind : PRESENTATION) {
            if (kind.word().equals(typeWord)) {
                return kind.word() + " (" + kind.shortWord() + ")";
            }
        }
        return typeWord;
    }

    private static List<CommandSpec> build() {
        Map<String, String> examples = examples();
        List<CommandSpec> specs = new ArrayList<>();
        for (Kind kind : PRESENTATION) {
            List<Field> all = Schema.fields(kind);
            List<Field> updatable = Schema.updatableFields(kind);
            specs.add(spec(ADD, kind, all, examples));
            specs.add(spec(LIST, kind, List.of(), examples));
            specs.add(spec(LIST_DETAIL, kind, List.of(), examples));
            if (!updatable.isEmpty()) {
                specs.add(spec(UPDATE, kind, updatable, examples));
            }
            specs.add(spec(REMOVE, kind, List.of(), examples));
        }
        if (!examples.isEmpty()) {
            throw new IllegalStateException("examples without a form: " + examples.keySet());
        }
        return List.copyOf(specs);
    }

    private static CommandSpec spec(Action action, Kind kind, List<Field> params, Map<String, String> examples) {
        String example = examples.remove(action + " " + kind);
        if (example == null) {
            throw new IllegalStateException("no example for " + action + " " + kind);
        }
        // vproxy updates a server group's health check as a whole
        List<Field> together = action == UPDATE && kind == Kind.SERVER_GROUP
                ? params.stream().filter(f -> List.of("timeout", "period", "up", "down").contains(f.param())).toList()
                : List.of();
        return new CommandSpec(action, kind, kind.parent(), params, together, example);
    }

    private static Map<String, String> examples() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("ADD EVENT_LOOP_GROUP", "add event-loop-group worker");
        e.put("LIST EVENT_LOOP_GROUP", "list event-loop-group");
        e.put("LIST_DETAIL EVENT_LOOP_GROUP", "list-detail event-loop-group");
        e.put("REMOVE EVENT_LOOP_GROUP", "remove event-loop-group worker");
        e.put("ADD EVENT_LOOP", "add event-loop worker1 to event-loop-group worker");
        e.put("LIST EVENT_LOOP", "list event-loop in event-loop-group worker");
        e.put("LIST_DETAIL EVENT_LOOP", "list-detail event-loop in event-loop-group worker");
        e.put("REMOVE EVENT_LOOP", "remove event-loop worker1 from event-loop-group worker");
        e.put("ADD SERVER_GROUP", "add server-group ngx timeout 500 period 1000 up 2 down 3 method wrr event-loop-group worker");
        e.put("LIST SERVER_GROUP", "list server-group");
        e.put("LIST_DETAIL SERVER_GROUP", "list-detail server-group");
        e.put("UPDATE SERVER_GROUP", "update server-group ngx timeout 500 period 600 up 3 down 2");
        e.put("REMOVE SERVER_GROUP", "remove server-group ngx");
        e.put("ADD SERVER_GROUP_LINK", "add server-group ngx to upstream backend-groups weight 10");
        e.put("LIST SERVER_GROUP_LINK", "list server-group in upstream backend-groups");
        e.put("LIST_DETAIL SERVER_GROUP_LINK", "list-detail server-group in upstream backend-groups");
        e.put("UPDATE SERVER_GROUP_LINK", "update server-group ngx in upstream backend-groups weight 5");
        e.put("REMOVE SERVER_GROUP_LINK", "remove server-group ngx from upstream backend-groups");
        e.put("ADD SERVER", "add server backend1 to server-group ngx address 10.0.2.1:80 weight 10");
        e.put("LIST SERVER", "list server in server-group ngx");
        e.put("LIST_DETAIL SERVER", "list-detail server in server-group ngx");
        e.put("UPDATE SERVER", "update server backend1 in server-group ngx weight 5");
        e.put("REMOVE SERVER", "remove server backend1 from server-group ngx");
        e.put("ADD UPSTREAM", "add upstream backend-groups");
        e.put("LIST UPSTREAM", "list upstream");
        e.put("LIST_DETAIL UPSTREAM", "list-detail upstream");
        e.put("REMOVE UPSTREAM", "remove upstream backend-groups");
        e.put("ADD TCP_LB", "add tcp-lb lb0 acceptor-elg acceptor event-loop-group worker address 10.0.0.10:80 "
                + "upstream backend-groups in-buffer-size 16384 out-buffer-size 16384");
        e.put("LIST TCP_LB", "list tcp-lb");
        e.put("LIST_DETAIL TCP_LB", "list-detail tcp-lb");
        e.put("UPDATE TCP_LB", "update tcp-lb lb0 in-buffer-size 32768 out-buffer-size 32768 security-group secg0");
        e.put("REMOVE TCP_LB", "remove tcp-lb lb0");
        e.put("ADD SECURITY_GROUP", "add security-group secg0 default allow");
        e.put("LIST SECURITY_GROUP", "list security-group");
        e.put("LIST_DETAIL SECURITY_GROUP", "list-detail security-group");
        e.put("UPDATE SECURITY_GROUP", "update security-group secg0 default deny");
        e.put("REMOVE SECURITY_GROUP", "remove security-group secg0");
        e.put("ADD SECURITY_GROUP_RULE", "add security-group-rule secgr0 to security-group secg0 network 10.0.0.0/8 "
                + "protocol TCP port-range 22,22 default deny");
        e.put("LIST SECURITY_GROUP_RULE", "list security-group-rule in security-group secg0");
        e.put("LIST_DETAIL SECURITY_GROUP_RULE", "list-detail security-group-rule in security-group secg0");
        e.put("REMOVE SECURITY_GROUP_RULE", "remove security-group-rule secgr0 from security-group secg0");
        e.put("ADD VIP", "add vip vip0 address 192.168.99.151/24 router-id 51 interface eth0 password s3cret");
        e.put("LIST VIP", "list vip");
        e.put("LIST_DETAIL VIP", "list-detail vip");
        e.put("UPDATE VIP", "update vip vip0 advert 2000 selector role=edge");
        e.put("REMOVE VIP", "remove vip vip0");
        e.put("ADD CERT_KEY", "add cert-key ck0 cert /path/cert.pem,/path/chain.pem key /path/key.pem");
        e.put("LIST CERT_KEY", "list cert-key");
        e.put("LIST_DETAIL CERT_KEY", "list-detail cert-key");
        e.put("UPDATE CERT_KEY", "update cert-key ck0 cert /path/new-cert.pem key /path/new-key.pem");
        e.put("REMOVE CERT_KEY", "remove cert-key ck0");
        return e;
    }
}
