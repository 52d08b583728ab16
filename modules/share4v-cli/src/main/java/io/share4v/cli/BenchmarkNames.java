package io.share4v.cli;

import io.share4v.eval.score.Scorers;
import java.util.Iterator;

/**
 * The {@code --benchmark} names for the help text of {@code eval} and {@code score}: the scorers' names, which are the
 * runners' too (every benchmark has both under one name; the eval module's tests hold the two lists equal).
 */
final class BenchmarkNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Scorers.names().iterator();
    }
}
