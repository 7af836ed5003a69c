package io.fulcrum.ctl.shell;

import io.fulcrum.config.schema.Kind;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** JLine's view of {@link Completions}. */
final class ShellCompleter implements Completer {
    private final Function<Kind, List<String>> names;

    ShellCompleter(Function<Kind, List<String>> names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> previous = line.words().subList(0, line.wordIndex());
        for (String word : Completions.next(previous, names)) {
            candidates.add(new Candidate(word));
        }
    }
}
