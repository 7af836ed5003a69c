package io.fulcrum.config.command;

import io.fulcrum.config.schema.AnnotationKey;
import io.fulcrum.config.schema.BuiltIns;
import io.fulcrum.config.schema.Field;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Names;
import io.fulcrum.config.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Generates docs/commands.md from the grammar table and the schema, so the reference cannot drift
 * from the parser. A test fails when the committed file differs; regenerate with
 * {@code bin/fulcrum gen-docs} (or run this class with the output path as argument).
 */
public final class CommandReference {
    private CommandReference() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/commands.md");
        Files.writeString(out, markdown());
        System.out.println("wrote " + out);
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Command reference\n\n");
        md.append("<!-- Generated from the grammar table (io.fulcrum.config.command.Grammar and "
                + "io.fulcrum.config.schema.Schema) by CommandReference. Do not edit by hand: "
                + "run bin/fulcrum gen-docs. -->\n\n");
        md.append("Fulcrum speaks vproxy's command language: through `fctl`, through `redis-cli` on the RESP port, "
                + "and through the `Exec` gRPC call. The same table that generates this page drives the parser and `man`.\n\n");
        grammar(md);
        actions(md);
        types(md);
        for (String type : Grammar.typeWords()) {
            type(md, type);
        }
        annotations(md);
        replies(md);
        return md.toString();
    }

    private static void grammar(StringBuilder md) {
        md.append("## Grammar\n\n```\nACTION TYPE [NAME] [in|to|from TYPE NAME] [PARAM VALUE]...\n```\n\n");
        md.append("- Parameters and the `in`/`to`/`from` clause may come in any order after the name.\n");
        md.append("- A value may be a JSON string in double quotes; `annotations` takes a JSON object whose values are "
                + "strings, e.g. `annotations {\"fulcrum/hc-http-uri\":\"/health\"}`.\n");
        md.append("- Names: ").append(Names.RULE).append(". Names in parentheses belong to built-in resources.\n");
        md.append("- A script (`fctl -f FILE`, `fctl load FILE`, several lines in one `Exec`) holds one command a line; "
                + "`#` starts a comment line. All its changes apply as one atomic batch: all or nothing. "
                + "`list`, `list-detail` and `man` run on their own.\n");
        md.append("- `man`, `man ACTION`, `man TYPE` and `man TYPE ACTION` print help from this table "
                + "(`help` too, except through redis-cli, which keeps `help` for itself).\n\n");
    }

    private static void actions(StringBuilder md) {
        md.append("## Actions\n\n| action | short | before a container | what it does |\n|---|---|---|---|\n");
        for (Action action : Action.values()) {
            md.append("| `").append(action.word()).append("` | ").append(action.shortWord() == null ? "" : "`" + action.shortWord() + "`")
                    .append(" | `").append(action.preposition()).append("` | ").append(action.meaning()).append(" |\n");
        }
        md.append('\n');
    }

    private static void types(StringBuilder md) {
        md.append("## Types\n\n| type | short | actions |\n|---|---|---|\n");
        for (String type : Grammar.typeWords()) {
            Kind kind = Grammar.specs(type).get(0).kind();
            Set<String> actions = new LinkedHashSet<>();
            Grammar.specs(type).forEach(s -> actions.add(s.action().word()));
            md.append("| [`").append(type).append("`](#").append(type).append(") | `").append(kind.shortWord()).append("` | ")
                    .append(String.join(", ", actions)).append(" |\n");
        }
        md.append("\nBuilt in, always present, never changed or removed: event-loop groups `")
                .append(BuiltIns.ACCEPTOR_ELG).append("` (one loop), `").append(BuiltIns.WORKER_ELG)
                .append("` (one loop per core of each data-plane node) and `").append(BuiltIns.CONTROL_ELG)
                .append("` (one loop); security group `").append(BuiltIns.ALLOW_ALL).append("` (default allow, no rules). "
                + "They are not listed by `list` and not written by `save`.\n\n");
    }

    private static void type(StringBuilder md, String type) {
        md.append("## ").append(type).append("\n\n");
        Set<Kind> kinds = new LinkedHashSet<>();
        Grammar.specs(type).forEach(s -> kinds.add(s.kind()));
        for (Kind kind : kinds) {
            String title = kind.isNested() ? "in " + kind.parent().withArticle() : null;
            if (kinds.size() > 1) {
                md.append("### ").append(title == null ? "the " + type + " itself" : type + " " + title).append("\n\n");
            }
            params(md, kind);
            for (CommandSpec spec : Grammar.specs(type)) {
                if (spec.kind() == kind) {
                    md.append("- `").append(spec.synopsis()).append("`  \n  e.g. `").append(spec.example()).append("`\n");
                }
            }
            md.append('\n');
        }
    }

    private static void params(StringBuilder md, Kind kind) {
        if (Schema.fields(kind).isEmpty()) {
            md.append("No parameters.\n\n");
            return;
        }
        md.append("| parameter | short | on add | updatable | value | meaning |\n|---|---|---|---|---|---|\n");
        for (Field field : Schema.fields(kind)) {
            md.append("| `").append(field.param()).append("` | ").append(field.shortParam() == null ? "" : "`" + field.shortParam() + "`")
                    .append(" | ").append(field.required() ? "required" : "default `" + field.type().format(field.defaultValue()) + "`")
                    .append(" | ").append(field.updatable() ? "yes" : "no").append(" | ").append(escape(field.type().describe()))
                    .append(" | ").append(escape(field.help())).append(" |\n");
        }
        md.append('\n');
    }

    private static void annotations(StringBuilder md) {
        md.append("## Annotations Fulcrum reads\n\nKeys under `fulcrum/` are reserved: an unknown one is rejected "
                + "(a typo would otherwise be ignored silently). Other keys are free-form.\n\n"
                + "| on | key | default | meaning |\n|---|---|---|---|\n");
        for (Kind kind : Kind.values()) {
            for (Field field : Schema.fields(kind)) {
                for (AnnotationKey key : field.annotationKeys()) {
                    md.append("| ").append(kind == Kind.SERVER_GROUP_LINK ? "server-group in upstream" : kind.word())
                            .append(" | `").append(key.key()).append("` | ").append(escape(key.defaultValue()))
                            .append(" | ").append(escape(key.meaning())).append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    private static void replies(StringBuilder md) {
        md.append("## Replies\n\n");
        md.append("- a change: `OK` (fctl also prints the new config version on stderr);\n");
        md.append("- `list`: the names, one per line (over RESP an array);\n");
        md.append("- `list-detail`: one detail line per resource, e.g.\n");
        md.append("  - `ngx -> timeout 500 period 1000 up 2 down 3 protocol tcp method wrr event-loop-group worker annotations {}`\n");
        md.append("  - `redis -> timeout 500 period 1000 up 2 down 3 protocol tcp method wrr event-loop-group (control-elg) "
                + "annotations {} discovery srv:redis.service.dc1.consul discovery-resolver 127.0.0.1:8600 discovery-interval 1000 "
                + "discovery-timeout 2000 discovery-hold-empty 30000 source-state ok servers 2 last-success "
                + "2025-03-04T05:06:07.089Z last-error none` — a discovered group (see discovery.md): its parameters in effect, then "
                + "its source as the control-plane leader sees it: `source-state` is `ok`, `holding-error` (the last resolution "
                + "failed: the servers are kept), `holding-empty` (an empty answer younger than the hold time: the servers are "
                + "kept), `empty` or `resolving`; a follower says `source-state unknown (resolved by the leader)`;\n");
        md.append("  - `backend1 -> connect-to 10.0.2.1:80 weight 10 currently UP` — the state is what the data-plane nodes "
                + "report: `UP` when every reporting node sees it up, `DOWN` when none does, `PARTIAL (1/2 nodes UP)` "
                + "otherwise, `UNKNOWN` when no node has reported;\n");
        md.append("  - `lb0 -> acceptor acceptor worker worker bind 10.0.0.10:80 backend backend-groups in-buffer-size 16384 "
                + "out-buffer-size 16384 protocol tcp` — `timeout`, `security-group` and `annotations` follow when they are not the defaults;\n");
        md.append("- an error: one line naming the command, the parameter and what is allowed, e.g. "
                + "`add server-group ngx: invalid value for up: must be an integer 1..1000, got \"two\"`, "
                + "`remove upstream backend-groups: upstream backend-groups is used by tcp-lb lb0`. "
                + "In a script the line number comes first.\n");
        md.append("\nThe actions: ").append(Arrays.stream(Action.values()).map(a -> "`" + a.word() + "`")
                .collect(Collectors.joining(", "))).append(".\n");
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
