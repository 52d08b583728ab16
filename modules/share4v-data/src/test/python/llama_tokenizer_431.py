"""Re-statement of transformers 4.31.0's SLOW LlamaTokenizer over Debian's python3-sentencepiece.

Run with /usr/bin/python3 (the Debian interpreter that has the `sentencepiece` module). This file is the
reference the Java io.share4v.data.text.LlamaTokenizer is tested against, and other fixture scripts
import it (e.g. the label-masking fixtures):

    from llama_tokenizer_431 import Llama431Tokenizer
    tok = Llama431Tokenizer("tokenizer.model", legacy=False)
    tok.encode("USER: hi")                  # == HF tokenizer("USER: hi").input_ids with transformers 4.31
    tok.encode("hi", add_special_tokens=False)
    tok.decode(ids, skip_special_tokens=False)

Rules re-stated (transformers 4.31.0: models/llama/tokenization_llama.py and tokenization_utils.py):
  * tokenize(): with legacy=False the text becomes "\u2581" + text.replace("\u2581", " ") first.
  * The text is cut on the special tokens (<s>, </s>, <unk>, and pad if configured); leftmost match first,
    longest match at that position. Whitespace next to a special token is stripped only if that token is an
    AddedToken with lstrip/rstrip set (rstrip eats whitespace at the start of the right neighbour, lstrip at the
    end of the left one; Python str.strip semantics). LlamaTokenizer 4.31 wraps plain-string specials into
    AddedToken(lstrip=False, rstrip=False), so the strip-both-sides rule for plain strings never applies.
    Chunks that end up empty are dropped; special tokens are kept whole.
  * _tokenize(chunk): legacy=True -> sentencepiece pieces of the chunk. legacy=False -> if the chunk starts
    with "\u2581" drop that character and encode the rest; else encode the chunk and, if the chunk does not start
    with " " and the first piece starts with "\u2581", drop that character from the first piece (dropping
    the piece entirely when it was just "\u2581").
  * ids = piece_to_id(piece) for every piece (a shortened first piece that is not in the vocabulary
    becomes the unk id, as sentencepiece's piece_to_id does).
  * BOS prepended if add_bos_token, EOS appended if add_eos_token (when add_special_tokens).
  * decode(): ids -> pieces (special ids dropped when skip_special_tokens); then convert_tokens_to_string:
    pieces are decoded by sentencepiece in runs between special tokens, and a special token is preceded
    by one space unless it is the first token or follows another special token.
    clean_up_tokenization_spaces is False (the released config).
  * `legacy` absent from tokenizer_config.json means legacy=True in 4.31 (the constructor default).
"""
import json
import os

import sentencepiece as spm

SPIECE_UNDERLINE = "\u2581"


class SpecialToken:
    """The parts of an HF AddedToken that matter to the slow tokenizer's split."""

    def __init__(self, content, lstrip=False, rstrip=False):
        self.content = content
        self.lstrip = lstrip
        self.rstrip = rstrip

    @staticmethod
    def from_config(value):
        if value is None:
            return None
        if isinstance(value, str):
            # LlamaTokenizer.__init__ (4.31) wraps plain strings into AddedToken(lstrip=False, rstrip=False).
            return SpecialToken(value)
        return SpecialToken(value["content"], bool(value.get("lstrip", False)), bool(value.get("rstrip", False)))


class Llama431Tokenizer:
    def __init__(self, model_path, legacy, add_bos_token=True, add_eos_token=False,
                 bos_token=None, eos_token=None, unk_token=None, pad_token=None):
        self.sp = spm.SentencePieceProcessor(model_file=str(model_path))
        self.legacy = bool(legacy)
        self.add_bos_token = add_bos_token
        self.add_eos_token = add_eos_token
        self.bos = bos_token or SpecialToken("<s>")
        self.eos = eos_token or SpecialToken("</s>")
        self.unk = unk_token or SpecialToken("<unk>")
        self.pad = pad_token
        specials = [self.bos, self.eos, self.unk] + ([self.pad] if self.pad else [])
        # HF keeps one AddedToken per content string; the first attribute in bos, eos, unk, ... order wins.
        self.specials = {}
        for t in specials:
            self.specials.setdefault(t.content, t)

    @staticmethod
    def from_dir(model_dir, legacy_override=None):
        with open(os.path.join(model_dir, "tokenizer_config.json"), encoding="utf-8") as f:
            cfg = json.load(f)
        legacy = cfg.get("legacy", True) if legacy_override is None else legacy_override
        return Llama431Tokenizer(
            os.path.join(model_dir, "tokenizer.model"), legacy,
            add_bos_token=cfg.get("add_bos_token", True), add_eos_token=cfg.get("add_eos_token", False),
            bos_token=SpecialToken.from_config(cfg.get("bos_token", "<s>")),
            eos_token=SpecialToken.from_config(cfg.get("eos_token", "</s>")),
            unk_token=SpecialToken.from_config(cfg.get("unk_token", "<unk>")),
            pad_token=SpecialToken.from_config(cfg.get("pad_token")))

    # ---- ids of the special tokens
    def bos_id(self):
        return self.sp.piece_to_id(self.bos.content)

    def eos_id(self):
        return self.sp.piece_to_id(self.eos.content)

    def unk_id(self):
        return self.sp.piece_to_id(self.unk.content)

    def all_special_ids(self):
        return {self.sp.piece_to_id(c) for c in self.specials}

    # ---- encode
    def _split_on_specials(self, text):
        """Leftmost, then longest, occurrence of a special token; returns [(chunk, is_special)]."""
        contents = sorted(self.specials, key=len, reverse=True)
        out, start, i = [], 0, 0
        while i < len(text):
            hit = next((c for c in contents if text.startswith(c, i)), None)
            if hit is None:
                i += 1
                continue
            if i > start:
                out.append([text[start:i], False])
            out.append([hit, True])
            i += len(hit)
            start = i
        if start < len(text):
            out.append([text[start:], False])
        return out

    def tokenize(self, text):
        if not self.legacy:
            text = SPIECE_UNDERLINE + text.replace(SPIECE_UNDERLINE, " ")
        parts = self._split_on_specials(text)
        for i, (chunk, special) in enumerate(parts):
            if not special:
                continue
            tok = self.specials[chunk]
            if tok.rstrip and i + 1 < len(parts) and parts[i + 1][0]:
                parts[i + 1][0] = parts[i + 1][0].lstrip()
            if tok.lstrip and i > 0 and parts[i - 1][0]:
                parts[i - 1][0] = parts[i - 1][0].rstrip()
        pieces = []
        for chunk, special in parts:
            if not chunk:
                continue
            if special:
                pieces.append(chunk)
            else:
                pieces.extend(self._tokenize(chunk))
        return pieces

    def _tokenize(self, chunk):
        if self.legacy:
            return self.sp.encode(chunk, out_type=str)
        is_first = chunk.startswith(SPIECE_UNDERLINE)
        if is_first:
            chunk = chunk[1:]
        pieces = self.sp.encode(chunk, out_type=str)
        if not is_first and not chunk.startswith(" ") and pieces[0].startswith(SPIECE_UNDERLINE):
            pieces = ([pieces[0][1:]] if len(pieces[0]) > 1 else []) + pieces[1:]
        return pieces

    def encode(self, text, add_special_tokens=True):
        ids = [self.sp.piece_to_id(p) for p in self.tokenize(text)]
        if add_special_tokens:
            ids = ([self.bos_id()] if self.add_bos_token else []) + ids + ([self.eos_id()] if self.add_eos_token else [])
        return ids

    # ---- decode
    def decode(self, ids, skip_special_tokens=False):
        special_ids = self.all_special_ids()
        tokens = [self.sp.id_to_piece(i) for i in ids if not (skip_special_tokens and i in special_ids)]
        out, run, prev_special = "", [], False
        for i, tok in enumerate(tokens):
            if tok in self.specials:
                if not prev_special and i != 0:
                    out += " "
                out += self.sp.decode(run) + tok
                prev_special, run = True, []
            else:
                run.append(tok)
                prev_special = False
        return out + self.sp.decode(run)
