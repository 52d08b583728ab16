"""Builds the tokenize+mask benchmark record set (one LLaVA JSON array) from real evaluation text.

    /usr/bin/python3 bench/build_records.py --shared ../shared --out /tmp/bench-records.json

Sources, all under <shared>/eval-data/llava-v1.5-eval/ (LLaVA-1.5's published eval.zip; licences follow each
benchmark, several non-commercial, so the files are read in place and never committed):
  * scienceqa/llava_test_CQM-A.json: 4,241 LLaVA conversation records as published (about half with "image").
  * llava-bench-in-the-wild/answers/*.jsonl and mm-vet/answers/*.jsonl: the question ("prompt") and a
    LLaVA-1.5 answer ("text") of each line become one 2-turn image record, the shape of the instruction data:
    human "<image>\\n<question>", gpt "<answer>". These add the long free-form answers ScienceQA lacks.
Exit code 3 with a one-line message when the shared data is absent.
"""
import argparse
import json
import os
import sys

EVAL = os.path.join("eval-data", "llava-v1.5-eval")
SCIENCEQA = os.path.join(EVAL, "scienceqa", "llava_test_CQM-A.json")
ANSWER_FILES = [
    os.path.join(EVAL, "llava-bench-in-the-wild", "answers", "llava-v1.5-13b.jsonl"),
    os.path.join(EVAL, "llava-bench-in-the-wild", "answers", "llava-v1.5-7b.jsonl"),
    os.path.join(EVAL, "mm-vet", "answers", "llava-v1.5-13b.jsonl"),
    os.path.join(EVAL, "mm-vet", "answers", "llava-v1.5-7b.jsonl"),
]


def answer_records(path, tag):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("prompt"), str) or not isinstance(row.get("text"), str):
                sys.exit(f"build_records: {path}:{n}: expected string fields 'prompt' and 'text'")
            out.append({"id": f"{tag}-{row['question_id']}", "image": f"{tag}/{row['question_id']}.jpg",
                        "conversations": [{"from": "human", "value": "<image>\n" + row["prompt"]},
                                          {"from": "gpt", "value": row["text"]}]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", required=True, help="the shared data directory (holds eval-data/)")
    ap.add_argument("--out", required=True, help="output JSON array")
    ap.add_argument("--scienceqa-only", action="store_true", help="only the 4,241 ScienceQA records")
    args = ap.parse_args()
    sqa = os.path.join(args.shared, SCIENCEQA)
    if not os.path.isfile(sqa):
        print(f"build_records: real benchmark text not found: {sqa} is missing "
              f"(set SHARE4V_SHARED to the directory holding eval-data/)", file=sys.stderr)
        sys.exit(3)
    with open(sqa, encoding="utf-8") as f:
        records = json.load(f)
    for r in records:
        r["id"] = "sqa-" + str(r["id"])
    counts = {"scienceqa": len(records)}
    if not args.scienceqa_only:
        for path in ANSWER_FILES:
            full = os.path.join(args.shared, path)
            if not os.path.isfile(full):
                print(f"build_records: {full} is missing", file=sys.stderr)
                sys.exit(3)
            parts = path.split(os.sep)
            tag = parts[-3] + "-" + os.path.splitext(parts[-1])[0].replace("llava-v1.5-", "")
            rs = answer_records(full, tag)
            counts[tag] = len(rs)
            records.extend(rs)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False)
    images = sum("image" in r for r in records)
    print(json.dumps({"records": len(records), "with_image": images, "sources": counts}))


if __name__ == "__main__":
    main()
