package io.fulcrum.config.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one reader of Fulcrum's token files. Two shapes are accepted:
 * <ul>
 *   <li>an <b>auth file</b>: {@code ROLE TOKEN [NAME]} lines, {@code #} comments and blank lines
 *       ignored, ROLE one of {@code operator}, {@code viewer}, {@code data-plane};</li>
 *   <li>a <b>token file</b>: exactly one line holding one token and nothing else.</li>
 * </ul>
 * The rules are strict and the same for every reader: a token has at least
 * {@value #MIN_TOKEN_LENGTH} characters and no whitespace, no token appears twice, an unknown
 * role or a line of another shape is an error naming the file and the line. Immutable.
 */
public final class AuthFile {
    /** The shortest token accepted anywhere. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** A role a token can be given in an auth file. */
    public enum Role {
        OPERATOR, VIEWER, DATA_PLANE;

        /** The word used in auth files: operator, viewer, data-plane. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The role of an auth-file word, or null when the word names none. */
        public static Role ofWord(String word) {
            for (Role role : values()) {
                if (role.word().equals(word)) {
                    return role;
                }
            }
            return null;
        }
    }

    /**
     * One token.
     *
     * @param role  what it may do; null for the single token of a plain token file
     * @param token the secret
     * @param name  who holds it (the third word, else {@code ROLE-LINE})
     */
    public record Entry(Role role, String token, String name) {
        @Override
        public String toString() {
            return "Entry[" + role + ", " + name + "]"; // never the token
        }
    }

    private final Path file;
    private final List<Entry> entries;

    private AuthFile(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads {@code file} as an auth file or a one-token file.
     *
     * @throws InvalidAuthFileException naming the file, the line and what is wrong; its cause is the
     *         IOException when the file cannot be read
     */
    public static AuthFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new InvalidAuthFileException("cannot read token file " + file + ": " + e, e);
        }
        List<Integer> meaningful = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                meaningful.add(i);
            }
        }
        if (meaningful.isEmpty()) {
            throw new InvalidAuthFileException("token file " + file + " holds no token");
        }
        if (meaningful.size() == 1 && lines.get(meaningful.get(0)).strip().split("\\s+").length == 1) {
            int index = meaningful.get(0);
            String token = lines.get(index).strip();
            checkToken(file, index, token);
            return new AuthFile(file, List.of(new Entry(null, token, "token")));
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int index : meaningful) {
            String[] words = lines.get(index).strip().split("\\s+");
            Role role = Role.ofWord(words[0]);
            if (role == null || words.length < 2 || words.length > 3) {
                throw new InvalidAuthFileException(where(file, index) + "expected ROLE TOKEN [NAME] with ROLE one of "
                        + "operator, viewer, data-plane (or a file holding one token and nothing else)");
            }
            checkToken(file, index, words[1]);
            if (!seen.add(words[1])) {
                throw new InvalidAuthFileException(where(file, index) + "the same token appears twice");
            }
            entries.add(new Entry(role, words[1], words.length == 3 ? words[2] : role.word() + "-" + (index + 1)));
        }
        return new AuthFile(file, entries);
    }

    /**
     * The token {@code role} should present, read from {@code file}: the only token of a token
     * file, or the first {@code role} line of an auth file.
     *
     * @throws InvalidAuthFileException when the file is malformed or an auth file has no such line
     */
    public static String tokenFor(Path file, Role role) {
        return read(file).tokenFor(role);
    }

    /** See {@link #tokenFor(Path, Role)}. */
    public String tokenFor(Role role) {
        for (Entry entry : entries) {
            if (entry.role() == null || entry.role() == role) {
                return entry.token();
            }
        }
        throw new InvalidAuthFileException("no " + role.word() + " token in " + file + ": expected a file holding one "
                + "token, or an auth file with a '" + role.word() + " TOKEN' line");
    }

    /** Every token, in file order. A plain token file gives one entry with a null role. */
    public List<Entry> entries() {
        return entries;
    }

    /** True for an auth file of role lines, false for a one-token file. */
    public boolean hasRoles() {
        return entries.get(0).role() != null;
    }

    public Path file() {
        return file;
    }

    private static void checkToken(Path file, int index, String token) {
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new InvalidAuthFileException(where(file, index) + "a token must have at least " + MIN_TOKEN_LENGTH
                    + " characters (this one has " + token.length() + ")");
        }
    }

    private static String where(Path file, int index) {
        return "token file " + file + " line " + (index + 1) + ": ";
    }
}
