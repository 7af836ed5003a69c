package io.fulcrum.ctl.command;

import java.util.List;
import java.util.Set;

/** "server NAME in server-group GROUP": the words drain and undrain take, checked. */
record ServerRef(String server, String group) {
    private static final Set<String> SERVER = Set.of("server", "svr");
    private static final Set<String> GROUP = Set.of("server-group", "sg");

    /** @throws IllegalArgumentException saying the expected form */
    static ServerRef parse(List<String> words) {
        if (words.size() != 5 || !SERVER.contains(words.get(0)) || !words.get(2).equals("in") || !GROUP.contains(words.get(3))) {
            throw new IllegalArgumentException("expected: server NAME in server-group GROUP, got: " + String.join(" ", words));
        }
        return new ServerRef(words.get(1), words.get(4));
    }

    /** The update line that sets the server's drain flag. */
    String update(boolean drain) {
        return "update server " + server + " in server-group " + group + " drain " + drain;
    }

    @Override
    public String toString() {
        return "server " + server + " in server-group " + group;
    }
}
