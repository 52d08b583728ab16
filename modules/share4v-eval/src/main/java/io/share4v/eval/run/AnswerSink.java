package io.share4v.eval.run;

import io.share4v.model.generate.GeneratedSequence;
import java.io.IOException;

/** Receives each answered question, in question order (the order answer files keep). */
@FunctionalInterface
public interface AnswerSink {
    void accept(EvalQuestion question, GeneratedSequence answer) throws IOException;
}
