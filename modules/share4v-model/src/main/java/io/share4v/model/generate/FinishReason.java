package io.share4v.model.generate;

/** Why a sequence stopped. */
public enum FinishReason {
    /** The model produced the EOS id (it is the last of the new ids, as in HF's output). */
    EOS,
    /** {@code KeywordsStoppingCriteria}: the output ends with a stop string's ids or its decoded tail contains it. */
    STOP_STRING,
    /** {@code max_new_tokens} reached. */
    LENGTH
}
