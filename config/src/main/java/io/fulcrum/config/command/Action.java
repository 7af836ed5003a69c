package io.fulcrum.config.command;

import io.fulcrum.proto.v1.MutationAction;

/** The actions of the command language, with vproxy's short forms and the preposition each uses. */
public enum Action {
    ADD("add", null, "to", "create a resource"),
    LIST("list", "ls", "in", "list names"),
    LIST_DETAIL("list-detail", "ll", "in", "list with one detail line per resource"),
    UPDATE("update", "mod", "in", "change updatable parameters"),
    REMOVE("remove", "rm", "from", "delete a resource (fails while it is used)");

    private final String word;
    private final String shortWord;
    private final String preposition;
    private final String meaning;

    Action(String word, String shortWord, String preposition, String meaning) {
        this.word = word;
        this.shortWord = shortWord;
        this.preposition = preposition;
        this.meaning = meaning;
    }

    public String word() {
        return word;
    }

    /** vproxy's short form ("ls"), or null. */
    public String shortWord() {
        return shortWord;
    }

    /** The word before a container: "add ... to", "list ... in", "update ... in", "remove ... from". */
    public String preposition() {
        return preposition;
    }

    public String meaning() {
        return meaning;
    }

    /** add, update and remove name one resource; list and list-detail do not. */
    public boolean takesName() {
        return this == ADD || this == UPDATE || this == REMOVE;
    }

    public boolean isQuery() {
        return this == LIST || this == LIST_DETAIL;
    }

    public MutationAction mutationAction() {
        return switch (this) {
            case ADD -> MutationAction.MUTATION_ACTION_ADD;
            case UPDATE -> MutationAction.MUTATION_ACTION_UPDATE;
            case REMOVE -> MutationAction.MUTATION_ACTION_REMOVE;
            default -> throw new IllegalStateException(word + " is a query");
        };
    }

    /** "list-detail (ll)". */
    public String display() {
        return shortWord == null ? word : word + " (" + shortWord + ")";
    }

    /** The action spelled {@code word} (long or short form), or null. */
    public static Action lookup(String word) {
        for (Action action : values()) {
            if (action.word.equals(word) || word.equals(action.shortWord)) {
                return action;
            }
        }
        return null;
    }
}
