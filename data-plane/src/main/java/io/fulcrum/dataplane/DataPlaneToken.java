package io.fulcrum.dataplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The data-plane token in a file: the file's only token, or the data-plane line of an auth file. */
final class DataPlaneToken {
    private DataPlaneToken() {
    }

    static String read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token file " + file, e);
        }
        for (String line : lines) {
            String[] words = line.split("\\s+");
            if (words.length >= 2 && words[0].equals("data-plane")) {
                return words[1];
            }
        }
        if (lines.size() == 1 && !lines.get(0).contains(" ")) {
            return lines.get(0);
        }
        throw new IllegalArgumentException("no data-plane token in " + file + ": expected one token, or an auth file with "
                + "a data-plane line");
    }
}
