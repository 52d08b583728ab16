"""Writes the tokenizer fixtures the Java tests compare against (run: /usr/bin/python3 gen_tokenizer_fixtures.py).

Outputs, under src/test/resources/tokenizer/:
  llama2_encode.jsonl   one text per line with its ids from raw sentencepiece, from transformers-4.31 slow
                        LlamaTokenizer with legacy=False and legacy=True (BOS added, as the released config),
                        and the 4.31 decode of those ids (with and without special tokens)
  llama2_decode.jsonl   random id sequences (byte pieces, lone ▁, specials) and their 4.31 / sentencepiece decodes
  variants.jsonl        the LLaMA-2 model modified (some pieces UNUSED or USER_DEFINED, remove_extra_whitespaces
                        on) and special tokens with lstrip/rstrip, with the expected ids
Deterministic (fixed seed). Texts and ids come from Debian's python3-sentencepiece; the HF rules from
llama_tokenizer_431.py in this folder.
"""
import json
import os
import random
import sys

import sentencepiece as spm

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from llama_tokenizer_431 import Llama431Tokenizer, SpecialToken  # noqa: E402

RES = os.path.normpath(os.path.join(HERE, "..", "resources", "tokenizer"))
# The one copy of the tokenizer ships with the bundled sample dataset (the tests see it as tokenizer/llama2/).
MODEL_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "data-manifests", "sample", "tokenizer"))
MODEL = os.path.join(MODEL_DIR, "tokenizer.model")

SYSTEM_V1 = ("A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, "
             "detailed, and polite answers to the user's questions.")
SYSTEM_S4V = ("A chat between a curious human and an artificial intelligence assistant. The assistant gives helpful, "
              "detailed, and polite answers to the human's questions.")

HAND_WRITTEN = [
    "", " ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n", "\n ", "a", " a", "a ", " a ", "  a  b   c    ",
    "Hello", " Hello", "Hello ", "Hello world", "hello\tworld", "line1\r\nline2\r\n", "USER:", "ASSISTANT:",
    " ASSISTANT:", "USER: ", "ASSISTANT: ", "</s>", "<s>", "<unk>", "<s></s><unk>", "</s>USER:", "</s> USER:",
    "Red.</s>USER: How many wheels? ASSISTANT: 4</s>", "<image>", "<image>\nWhat is this?", "\u2581", "\u2581\u2581",
    "\u2581Hello", "a\u2581b", " \u2581 ", "</s>\u2581x", "<</s>>", "<<s>>", "</s</s>>", "<unk", "unk>", "<s", "</",
    "<s><s>", "</s></s>", " </s> ", "x </s> y", "x</s> y", "x </s>y", "\t</s>\t", "\n</s>\n", "<unk>abc", "abc<unk>",
    "0", "12", "123", "3.14159", "2024-01-15", "1,000,000", "-42", "+7", "0x1F", "1e-9", "100%",
    "café", "naïve", "Ångström", "e\u0301", "a\u0308o\u0308u\u0308", "\u0915\u094d\u0937", "ﬁ", "Ⅻ", "①②③",
    "你好", "你好，世界", "日本語のテキスト", "한국어", "中文 English 混合", "　全角スペース　", "😀", "👍🏽", "👨‍👩‍👧‍👦",
    "🇫🇷🇯🇵", "emoji 😀 in text", "مرحبا بالعالم", "שלום עולם", "Привет, мир", "Γειά σου Κόσμε", "ไทย", "ᚠᛇᚻ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\U0001F600\U0001F601", "\u00a0", "a\u00a0b", "\u200b", "a\u200bb", "\u2028", "\ufeffBOM",
    "\ufffd", "\u0000", "a\u0000b", "\u007f", "\u0085", "\x1b[31mred\x1b[0m", "tab\there", "\v\f",
    "def f(x):\n    return x * 2\n", "for (int i = 0; i < n; i++) { sum += a[i]; }", "if a != b and c >= d:",
    "print(\"Hello, world!\")", "<div class=\"x\">text</div>", "{\"key\": [1, 2, 3]}", "SELECT * FROM t WHERE id = 1;",
    "https://example.com/path?query=1&b=2#frag", "http://127.0.0.1:8080/", "user@example.com", "C:\\Users\\name",
    "~/.bashrc", "#hashtag @mention", "a" * 300, "ab" * 200, "x" * 1000, "😀" * 50, "你" * 120,
    "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis" * 3,
    "The quick brown fox jumps over the lazy dog.", "THE QUICK BROWN FOX", "tHe QuIcK", "Mr. O'Neil's dog's bone",
    "don't won't can't", "...", "!!!", "???", "\"quoted\"", "'single'", "(parens)", "[brackets]", "{braces}",
    "a-b_c.d/e\\f", "~`!@#$%^&*()_+-=", "   leading", "trailing   ", "multiple    spaces    here",
    SYSTEM_V1, SYSTEM_S4V, SYSTEM_V1 + " USER: ", SYSTEM_V1 + " USER: <image>\nWhat is in the image? ASSISTANT:",
    "<image>\nDescribe the image in detail.", "<image>" + "A photo of a cat.\n",
]

WORDS = ["the", "a", "image", "shows", "cat", "dog", "sitting", "on", "table", "red", "bus", "street", "people",
         "walking", "background", "color", "USER", "ASSISTANT", "Human", "Assistant", "What", "How", "many", "is",
         "are", "describe", "detail", "photo", "left", "right", "of", "and", "with", "large", "small", "white",
         "building", "sky", "tree", "car", "man", "woman", "wearing", "holding", "There", "This", "In", "It"]
SCRIPTS = ["你好", "世界", "图片", "猫", "日本", "テキスト", "ひらがな", "한국", "مرحبا", "العالم", "שלום", "Привет",
           "мир", "Γειά", "κόσμε", "नमस्ते", "ไทย", "Ελλάδα", "ü", "ß", "é", "ñ", "ø", "ł", "ő", "ç"]
EMOJI = ["😀", "👍", "👍🏽", "🚌", "🐱", "❤️", "🇺🇸", "👨‍💻", "✨", "🎉", "\U0001F9D1\u200D\U0001F680"]
COMBINING = ["\u0301", "\u0308", "\u0327", "\u20dd", "\u0336", "\u036f"]
SPACES = [" ", "  ", "   ", "\t", "\n", "\r\n", "\n\n", " \n", "\u00a0", "\u3000", "\u2009", "\u200b"]
SPECIAL = ["</s>", "<s>", "<unk>", "\u2581", "<image>", "</s>USER:", "</s> ", " </s>", "<s> ", "<", ">", "</", "s>"]
PUNCT = [".", ",", "?", "!", ":", ";", "'s", "-", "(", ")", "\"", "...", "/", "#", "%", "&", "*", "=", "+"]
CODE = ["def f(x):", "return x", "x = [1, 2, 3]", "a->b", "i++", "0xFF", "foo_bar", "camelCase", "snake_case",
        "https://github.com/user/repo", "www.example.org", "a/b/c.txt", "#include <stdio.h>", "</div>", "<br/>"]


def random_text(rng):
    parts = []
    for _ in range(rng.randint(1, 14)):
        kind = rng.random()
        if kind < 0.35:
            w = rng.choice(WORDS)
            parts.append(w.capitalize() if rng.random() < 0.2 else w)
        elif kind < 0.45:
            parts.append(rng.choice(SCRIPTS))
        elif kind < 0.50:
            parts.append(rng.choice(EMOJI))
        elif kind < 0.54:
            parts.append(rng.choice("aeiou") + rng.choice(COMBINING))
        elif kind < 0.66:
            parts.append(str(rng.randint(0, 10 ** rng.randint(1, 8))))
        elif kind < 0.74:
            parts.append(rng.choice(SPECIAL))
        elif kind < 0.82:
            parts.append(rng.choice(PUNCT))
        elif kind < 0.87:
            parts.append(rng.choice(CODE))
        elif kind < 0.90:
            parts.append("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 6))))
        elif kind < 0.92:
            parts.append("".join(chr(rng.randint(0x10000, 0x1FAFF)) for _ in range(rng.randint(1, 3))))
        else:
            parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(8, 40))))
        parts.append(rng.choice(SPACES) if rng.random() < 0.25 else (" " if rng.random() < 0.7 else ""))
    text = "".join(parts)
    if rng.random() < 0.15:
        text = rng.choice(SPACES) + text
    if rng.random() < 0.15:
        text = text + rng.choice(SPACES)
    # Drop surrogates that random code points may produce; they have no UTF-8 form.
    return "".join(c for c in text if not 0xD800 <= ord(c) <= 0xDFFF)


def llava_prompt(rng):
    system = rng.choice([SYSTEM_V1, SYSTEM_S4V])
    rounds = rng.randint(1, 4)
    out = system + " "
    for r in range(rounds):
        q = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12))) + "?"
        if r == 0 and rng.random() < 0.7:
            q = "<image>\n" + q
        a = " ".join(rng.choice(WORDS + SCRIPTS[:4]) for _ in range(rng.randint(1, 30))) + "."
        if rng.random() < 0.2:
            a = str(rng.randint(0, 99))
        out += "USER: " + q + " ASSISTANT: " + a + "</s>"
    if rng.random() < 0.3:
        out += "USER: " + " ".join(rng.choice(WORDS) for _ in range(5)) + "? ASSISTANT:"
    return out


def texts():
    rng = random.Random(20240601)
    out = list(HAND_WRITTEN)
    out += [llava_prompt(rng) for _ in range(150)]
    out += ["<image>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 40))) + ".\n" for _ in range(50)]
    while len(out) < 1300:
        out.append(random_text(rng))
    out.append(" ".join(random_text(rng) for _ in range(40)))  # a long mixed text
    return out


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {os.path.relpath(path, RES)}")


# ---- model variants: the same bytes edits the Java test applies (a later scalar field wins; messages merge)

def varint(v):
    out = bytearray()
    v &= (1 << 64) - 1
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def read_varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def variant_model(model_bytes, piece_types, remove_extra_whitespaces):
    out, i, index = bytearray(), 0, 0
    while i < len(model_bytes):
        tag, j = read_varint(model_bytes, i)
        field, wire = tag >> 3, tag & 7
        assert wire == 2, "ModelProto top-level fields are all length-delimited"
        length, k = read_varint(model_bytes, j)
        body = model_bytes[k:k + length]
        if field == 1:
            if index in piece_types:
                body = body + bytes([0x18]) + varint(piece_types[index])
            index += 1
        out += varint(tag) + varint(len(body)) + body
        i = k + length
    if remove_extra_whitespaces is not None:
        spec = bytes([0x20]) + varint(1 if remove_extra_whitespaces else 0)
        out += bytes([0x1A]) + varint(len(spec)) + spec
    return bytes(out)


def main():
    sp = spm.SentencePieceProcessor(model_file=MODEL)
    nonlegacy = Llama431Tokenizer.from_dir(MODEL_DIR)
    assert not nonlegacy.legacy
    legacy = Llama431Tokenizer.from_dir(MODEL_DIR, legacy_override=True)
    all_texts = texts()

    rows = []
    for t in all_texts:
        ids_n = nonlegacy.encode(t)
        ids_l = legacy.encode(t)
        rows.append({
            "text": t,
            "sp": sp.encode(t),
            "nonlegacy": ids_n,
            "legacy": ids_l,
            "decode_nonlegacy": nonlegacy.decode(ids_n),
            "decode_nonlegacy_skip": nonlegacy.decode(ids_n, skip_special_tokens=True),
            "decode_legacy": legacy.decode(ids_l),
        })
    write_jsonl(os.path.join(RES, "llama2_encode.jsonl"), rows)

    rng = random.Random(7)
    byte_ids = list(range(3, 259))
    common = [29871, 13, 15043, 3186, 1576, 278, 263, 29889, 29892, 3148, 1001, 29901, 22172, 30287, 30919]
    decode_rows = []
    for n in range(400):
        length = rng.randint(0, 24)
        ids = []
        for _ in range(length):
            r = rng.random()
            if r < 0.35:
                ids.append(rng.choice(byte_ids))
            elif r < 0.45:
                ids.append(rng.choice([0, 1, 2]))
            elif r < 0.6:
                ids.append(rng.choice(common))
            else:
                ids.append(rng.randrange(259, 32000))
        if n < 40:  # valid multi-byte UTF-8 split into byte pieces, sometimes truncated
            raw = rng.choice(["你好", "😀", "é", "한", "€", "\U0010FFFF", "\ufffd"]).encode("utf-8")
            raw = raw[:rng.randint(1, len(raw))] if rng.random() < 0.4 else raw
            ids = [rng.choice(common)] * rng.randint(0, 1) + [3 + b for b in raw] + ids[:3]
        decode_rows.append({
            "ids": ids,
            "decode": nonlegacy.decode(ids),
            "decode_skip": nonlegacy.decode(ids, skip_special_tokens=True),
            "sp_decode": sp.decode(ids),
        })
    write_jsonl(os.path.join(RES, "llama2_decode.jsonl"), decode_rows)

    # Variants of the model: exercise sentencepiece rules the LLaMA file itself never triggers.
    model_bytes = open(MODEL, "rb").read()
    unused = {sp.piece_to_id(p): 5 for p in ["\u2581t", "er", "in", "\u2581a", "en", "on", "\u2581th", "es", "\u2581the",
                                              "at", "or", "\u2581s", "ing", "\u2581c", "is", "\u2581w", "an", "re",
                                              "\u2581U", "SS", "ER", "\u2581A", "\u2581\u2581", "\u2581\u2581\u2581\u2581"]}
    user = {sp.piece_to_id(p): 4 for p in ["ing", "tion", "\u2581the", "ASS", "\u2581\u2581", "你", "at", "\u2581"]}
    variants = [
        {"name": "unused", "piece_types": unused, "remove_extra_whitespaces": None},
        {"name": "user_defined", "piece_types": user, "remove_extra_whitespaces": None},
        {"name": "remove_extra_whitespaces", "piece_types": {}, "remove_extra_whitespaces": True},
    ]
    variant_rows = []
    sample = all_texts[:len(HAND_WRITTEN)] + all_texts[len(HAND_WRITTEN)::5]
    for v in variants:
        vsp = spm.SentencePieceProcessor(model_proto=variant_model(model_bytes, v["piece_types"], v["remove_extra_whitespaces"]))
        for t in sample:
            variant_rows.append({"variant": v["name"], "text": t, "sp": vsp.encode(t)})
    # Special tokens that eat whitespace (AddedToken lstrip/rstrip), both legacy modes.
    strip_cfg = dict(bos_token=SpecialToken("<s>", lstrip=True, rstrip=False),
                     eos_token=SpecialToken("</s>", lstrip=True, rstrip=True),
                     unk_token=SpecialToken("<unk>", lstrip=False, rstrip=True))
    strip_texts = [t for t in all_texts if "<" in t] + [" a </s> b ", "a\u3000</s>\u3000b", "x\n<unk>\n y", " <s> x",
                                                       "\u2581 </s> \u2581", "  <s>  ", "a <s>  <unk>  </s> b"]
    for legacy_mode in (False, True):
        tok = Llama431Tokenizer(MODEL, legacy_mode, **strip_cfg)
        for t in strip_texts:
            variant_rows.append({"variant": "strip_specials_legacy" if legacy_mode else "strip_specials", "text": t,
                                 "ids": tok.encode(t)})
    meta = {"variant": "_definitions", "definitions": [
        {"name": v["name"], "piece_types": {str(k): t for k, t in sorted(v["piece_types"].items())},
         "remove_extra_whitespaces": v["remove_extra_whitespaces"]} for v in variants]}
    write_jsonl(os.path.join(RES, "variants.jsonl"), [meta] + variant_rows)


if __name__ == "__main__":
    main()
