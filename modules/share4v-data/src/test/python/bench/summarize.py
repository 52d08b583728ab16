"""Summarises bin/bench-preprocess results: best and median per side, Java/Python ratios, parity.

    /usr/bin/python3 bench/summarize.py RESULTS.jsonl PARITY.json

RESULTS.jsonl holds one JSON line per run as printed by `share4v bench-preprocess` (side "java", word_cache
"warm" or "cold") and bench/preprocess_python.py (side "python"); PARITY.json is compare_dumps.py's line.
"""
import json
import statistics
import sys

TARGET_RATIO = 10.0
TARGET_JAVA = 6000.0


def main():
    runs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip().startswith("{")]
    parity = json.load(open(sys.argv[2], encoding="utf-8"))
    groups = {}
    for r in runs:
        key = "python" if r["side"] == "python" else "java (word cache %s)" % r.get("word_cache", "warm")
        groups.setdefault(key, []).append(r["records_per_s"] / r.get("threads", 1))
    if not groups.get("python") or not any(k.startswith("java") for k in groups):
        sys.exit("summarize: need at least one Java and one Python result")
    first = runs[0]
    print(f"records: {first['records']}   mean tokens/record: {first['mean_tokens_per_record']}   "
          f"template: {first['template']}   rejected: {first['rejected']}   mismatches: {first['mismatches']}")
    print(f"{'side (one core)':28} {'runs':>4} {'best rec/s':>12} {'median rec/s':>13}")
    stats = {}
    for key in sorted(groups):
        v = groups[key]
        stats[key] = (max(v), statistics.median(v))
        print(f"{key:28} {len(v):>4} {max(v):>12,.0f} {statistics.median(v):>13,.0f}")
    py_best, py_median = stats["python"]
    verdict = {}
    for key, (best, median) in stats.items():
        if key == "python":
            continue
        ok = median >= TARGET_RATIO * py_median and median >= TARGET_JAVA
        print(f"ratio {key} / python: best {best / py_best:.1f}x, median {median / py_median:.1f}x "
              f"(target >= {TARGET_RATIO:.0f}x and >= {TARGET_JAVA:,.0f} rec/s/core: {'met' if ok else 'NOT met'})")
        verdict[key] = ok
    print(f"parity: {parity['differing']} of {parity['records']} records differ "
          f"(ids and labels compared; {parity['rejected']} rejected on both sides compared by reason)")
    print("summary: " + json.dumps({
        "records": first["records"], "mean_tokens_per_record": first["mean_tokens_per_record"],
        **{k.replace(" ", "_").replace("(", "").replace(")", "") + "_best": round(b) for k, (b, m) in stats.items()},
        **{k.replace(" ", "_").replace("(", "").replace(")", "") + "_median": round(m) for k, (b, m) in stats.items()},
        "differing_records": parity["differing"], "target_met": all(verdict.values())}))
    sys.exit(0 if parity["differing"] == 0 else 1)


if __name__ == "__main__":
    main()
