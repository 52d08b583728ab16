"""Expected POPE numbers for the test excerpts, computed independently of the Java scorer.

Standard library only. Follows LLaVA's eval_pope.py: per split, the answers whose question has that category, in
answer-file order, zipped with the labels in label-file order; answers cut at the first period, commas deleted,
split on spaces, "No"/"not"/"no" -> no, else yes. Ratios here in percent. Run from this directory:
    python3 expected.py > expected.json
"""
import json

questions = {q["question_id"]: q for q in map(json.loads, open("llava_pope_test.jsonl", encoding="utf-8"))}
answers = [json.loads(line) for line in open("llava-v1.5-13b.jsonl", encoding="utf-8")]


def says_yes(text):
    if "." in text:
        text = text.split(".")[0]
    words = text.replace(",", "").split(" ")
    return not ("No" in words or "not" in words or "no" in words)


out = {}
f1s = []
for split in ("adversarial", "popular", "random"):
    labels = [json.loads(line)["label"] != "no" for line in open("annotations/coco_pope_%s.json" % split)]
    preds = [says_yes(a["text"]) for a in answers if questions[a["question_id"]]["category"] == split]
    tp = sum(p and l for p, l in zip(preds, labels))
    fp = sum(p and not l for p, l in zip(preds, labels))
    tn = sum(not p and not l for p, l in zip(preds, labels))
    fn = sum(not p and l for p, l in zip(preds, labels))
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    out[split] = {"tp": tp, "fp": fp, "tn": tn, "fn": fn, "precision": precision * 100, "recall": recall * 100,
                  "f1": f1 * 100, "accuracy": (tp + tn) / (tp + tn + fp + fn) * 100,
                  "yes_ratio": preds.count(True) / len(preds) * 100}
    f1s.append(f1 * 100)
out["f1"] = sum(f1s) / 3
print(json.dumps(out, indent=2, sort_keys=True))
