package io.share4v.eval;

/** Bad evaluation input (a question, answer or ground-truth file): the message names the file, the record and why. */
public final class EvalInputException extends RuntimeException {
    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
