"""Expected MME numbers for the test excerpts, computed independently of the Java scorer.

Standard library only. Follows LLaVA's convert_answer_to_mme.py (answers jsonl -> MME results lines) and MME's
calculation.py (consecutive line pairs, yes/no/other parsing, acc + acc+). Run from this directory:
    python3 expected.py > expected.json
"""
import json
import os

PERCEPTION = ["existence", "count", "position", "color", "posters", "celebrity", "scene", "landmark", "artwork",
              "OCR"]
COGNITION = ["commonsense_reasoning", "numerical_calculation", "text_translation", "code_reasoning"]
LLAVA_SUFFIX = "Answer the question using a single word or phrase."


def parse(pred):
    # calculation.py: exact yes/no, else look at the first 4 characters only.
    if pred in ("yes", "no"):
        return pred
    prefix = pred[:4]
    if "yes" in prefix:
        return "yes"
    if "no" in prefix:
        return "no"
    return "other"


def score_lines(lines_by_task):
    out = {"subtasks": {}}
    for part, tasks in (("perception", PERCEPTION), ("cognition", COGNITION)):
        total = 0.0
        for task in tasks:
            lines = lines_by_task[task]
            pairs = [lines[i:i + 2] for i in range(0, len(lines), 2)]
            correct = plus = other = 0
            for pair in pairs:
                assert len(pair) == 2
                right = 0
                for line in pair:
                    _, _, gt, pred = line.split("\t")
                    p = parse(pred.lower())
                    other += p == "other"
                    right += gt.lower() == p
                correct += right
                plus += right == 2
            acc = correct / len(lines) * 100
            acc_plus = plus / len(pairs) * 100
            out["subtasks"][task] = {"acc": acc, "acc_plus": acc_plus, "score": acc + acc_plus, "other": other}
            total += acc + acc_plus
        out[part] = total
    return out


def read_dir(path):
    return {t: open(os.path.join(path, t + ".txt"), encoding="utf-8").readlines() for t in PERCEPTION + COGNITION}


def convert(answers_file, gt_dir):
    gt = {}
    for task, lines in read_dir(gt_dir).items():
        for line in lines:
            image, question, answer = line.rstrip("\n").split("\t")
            gt[task, image, question] = answer
    lines = {t: [] for t in PERCEPTION + COGNITION}
    for raw in open(answers_file, encoding="utf-8"):
        a = json.loads(raw)
        task = a["question_id"].split("/")[0]
        image = a["question_id"].split("/")[-1]
        q = a["prompt"].replace(LLAVA_SUFFIX, "").strip()
        if "Please answer yes or no." not in q:
            q = q + " Please answer yes or no."
            if (task, image, q) not in gt:
                q = q.replace(" Please answer yes or no.", "  Please answer yes or no.")
        lines[task].append("\t".join((image, q, gt[task, image, q], a["text"])) + "\n")
    return lines


if __name__ == "__main__":
    print(json.dumps({
        "llava-v1.5-13b.jsonl": score_lines(convert("llava-v1.5-13b.jsonl", "ground-truth")),
        "lavin": score_lines(read_dir("lavin")),
    }, indent=2, sort_keys=True))
