"""Tokenize + label-mask throughput of the reference's preprocessing in Python, over SentencePiece's C++ library.

    /usr/bin/python3 bench/preprocess_python.py --tokenizer DIR --input FILE.json [--template v1]
        [--seconds 10] [--max-length 2048] [--dump FILE.jsonl]

The preprocessing is the re-statement of ShareGPT4V's train.py (preprocess_multimodal, preprocess_v1,
tokenizer_image_token, the collator's truncation) in make_preprocess_fixtures.py, over the transformers-4.31 slow
LlamaTokenizer re-statement in llama_tokenizer_431.py, whose encode calls sentencepiece's C++ encoder: the same
code that produces the Java side's exactness fixtures, imported here, not copied. Records are loaded once; only
the per-record work is timed, on one thread, for at least --seconds and at least one pass over all records (pin the process to one core with taskset). Prints one JSON line.
"""
import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import make_preprocess_fixtures as ref  # noqa: E402
from llama_tokenizer_431 import Llama431Tokenizer  # noqa: E402


def dump_line(rec_id, out):
    if "rejected" in out:
        return json.dumps({"id": rec_id, "rejected": out["rejected"]}, ensure_ascii=False, separators=(",", ":"))
    return json.dumps({"id": rec_id, "input_ids": out["input_ids"], "labels": out["labels"]},
                      ensure_ascii=False, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--template", default="v1", choices=sorted(ref.conv_templates))
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup-seconds", type=float, default=1.0)
    ap.add_argument("--max-length", type=int, default=2048)
    ap.add_argument("--dump")
    args = ap.parse_args()
    if not os.path.isfile(os.path.join(args.tokenizer, "tokenizer.model")):
        sys.exit(f"preprocess_python: {args.tokenizer}/tokenizer.model does not exist")
    with open(args.input, encoding="utf-8") as f:
        records = json.load(f)
    if not records:
        sys.exit(f"preprocess_python: {args.input} has no records")
    ref.Ctx.default_conversation = ref.conv_templates[args.template]
    tokenizer = ref.HFTokenizer(Llama431Tokenizer.from_dir(args.tokenizer), args.max_length)

    # One untimed pass: the dump, the reject and mismatch counts, the mean length.
    tokens = rejected = mismatches = 0
    lines = []
    for rec in records:
        out = ref.expected_for(rec, tokenizer)
        if "rejected" in out:
            rejected += 1
        else:
            tokens += len(out["input_ids"])
            mismatches += out["mismatch"]
        if args.dump:
            lines.append(dump_line(rec.get("id"), out))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def run_for(seconds, full_pass):
        """Until the time is up; with full_pass also until every record was seen once (the same set as Java)."""
        n = ids = 0
        i = 0
        start = time.perf_counter()
        end = start + seconds
        while True:
            out = ref.expected_for(records[i], tokenizer)
            ids += len(out.get("input_ids", ()))
            n += 1
            i = i + 1 if i + 1 < len(records) else 0
            now = time.perf_counter()
            if now >= end and (not full_pass or n >= len(records)):
                return n, ids, now - start

    if args.warmup_seconds > 0:
        run_for(args.warmup_seconds, False)
    n, ids, elapsed = run_for(args.seconds, True)
    print(json.dumps({
        "side": "python", "records_per_s": round(n / elapsed, 1), "tokens_per_s": round(ids / elapsed),
        "mean_tokens_per_record": round(tokens / (len(records) - rejected), 2), "records": len(records),
        "processed": n, "seconds": round(elapsed, 3), "threads": 1, "rejected": rejected,
        "mismatches": mismatches, "template": args.template, "max_length": args.max_length}))


if __name__ == "__main__":
    main()
