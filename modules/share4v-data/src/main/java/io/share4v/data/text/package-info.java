/**
 * Pipeline position: data (first stage), text side. The exact LLaMA-2/Vicuna tokenizer: a SentencePiece BPE
 * model reader and encoder ({@link io.share4v.data.text.SentencePieceModel}) and the transformers-4.31 slow
 * {@code LlamaTokenizer} rules on top of it ({@link io.share4v.data.text.LlamaTokenizer}). Templates and label
 * masking build on this; training and generation decode with it. No Spark, no native code.
 */
package io.share4v.data.text;
