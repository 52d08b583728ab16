"""Compares the Java and Python tokenize dumps line by line (same records, same order).

    /usr/bin/python3 bench/compare_dumps.py JAVA.jsonl PYTHON.jsonl

A record agrees when the ids are equal and either both sides rejected it with the same reason or both produced
identical input_ids and labels. Prints one JSON line with the counts and the first few differences;
exit code 1 when any record differs.
"""
import json
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        java = [json.loads(l) for l in f if l.strip()]
    with open(sys.argv[2], encoding="utf-8") as f:
        py = [json.loads(l) for l in f if l.strip()]
    differing, examples = 0, []
    for i in range(max(len(java), len(py))):
        a = java[i] if i < len(java) else None
        b = py[i] if i < len(py) else None
        if a is None or b is None:
            why = "missing on the " + ("java" if a is None else "python") + " side"
        elif a.get("id") != b.get("id"):
            why = f"id {a.get('id')!r} vs {b.get('id')!r}"
        elif "rejected" in a or "rejected" in b:
            why = None if a.get("rejected") == b.get("rejected") else \
                f"rejected {a.get('rejected')!r} vs {b.get('rejected')!r}"
        elif a["input_ids"] != b["input_ids"]:
            why = "input_ids differ"
        elif a["labels"] != b["labels"]:
            why = "labels differ"
        else:
            why = None
        if why:
            differing += 1
            if len(examples) < 5:
                examples.append({"line": i + 1, "id": (a or b).get("id"), "why": why})
    samples = sum(1 for a in java if "rejected" not in a)
    print(json.dumps({"records": max(len(java), len(py)), "samples": samples,
                      "rejected": len(java) - samples, "differing": differing, "examples": examples}))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
