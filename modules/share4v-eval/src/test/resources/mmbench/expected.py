"""Expected MMBench CircularEval numbers for the excerpt, computed independently of the Java scorer (standard
library only). The excerpt's answers are bare letters, so a prediction's letter is its text.
Run from this directory: python3 expected.py > expected.json"""
import csv, json

rows = list(csv.DictReader(open('mmbench_dev.excerpt.tsv', newline=''), delimiter='\t'))
pred = {a['question_id']: a['text'] for a in map(json.loads, open('llava-v1.5-13b.excerpt.jsonl'))}
assert all(p in 'ABCD' and len(p) == 1 for p in pred.values())
groups = {}
for r in rows:
    groups.setdefault(int(r['index']) % 1000000, []).append(r)
hit = {g: all(pred[int(r['index'])] == r['answer'] for r in rs) for g, rs in groups.items()}
main = [r for r in rows if int(r['index']) < 1000000]
cats = {}
for r in main:
    c = cats.setdefault(r['category'], [0, 0])
    c[0] += hit[int(r['index'])]
    c[1] += 1
out = {
    'groups': len(groups),
    'groups_correct': sum(hit.values()),
    'circular_accuracy': 100 * sum(hit.values()) / len(groups),
    'vanilla_accuracy': 100 * sum(pred[int(r['index'])] == r['answer'] for r in main) / len(main),
    'row_accuracy': 100 * sum(pred[int(r['index'])] == r['answer'] for r in rows) / len(rows),
    'rows': len(rows),
    'categories': {k: 100 * v[0] / v[1] for k, v in cats.items()},
}
print(json.dumps(out, indent=1, sort_keys=True))
