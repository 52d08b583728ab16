package io.share4v.eval.run;

import io.share4v.model.generate.GeneratedSequence;
import java.io.IOException;
import java.util.List;

/**
 * Hands answers to the sink in question order although batches may finish out of order (length grouping): an
 * answer waits here until every earlier question's answer has been passed on. The wait is bounded by the schedule's
 * window.
 */
final class OrderedAnswers {
    private final List<EvalQuestion> questions;
    private final AnswerSink sink;
    private final GeneratedSequence[] waiting;
    private int next;
    private long newTokens;

    OrderedAnswers(List<EvalQuestion> questions, AnswerSink sink) {
        this.questions = questions;
        this.sink = sink;
        this.waiting = new GeneratedSequence[questions.size()];
    }

    /** Question position {@code q} was answered {@code answer}; passes on every answer now in order. */
    void accept(int q, GeneratedSequence answer) throws IOException {
        if (q < next || waiting[q] != null) {
            throw new IllegalStateException("question position " + q + " answered twice");
        }
        waiting[q] = answer;
        newTokens += answer.tokenIds().length;
        while (next < waiting.length && waiting[next] != null) {
            sink.accept(questions.get(next), waiting[next]);
            waiting[next++] = null;
        }
    }

    /** Answers passed to the sink. */
    int delivered() {
        return next;
    }

    long newTokens() {
        return newTokens;
    }
}
