"""Expected ScienceQA numbers for the excerpt, computed independently of the Java scorer (standard library only).
Rules of LLaVA's eval_science_qa.py: exact letter, else "X. " prefix, else one "The answer is X." match.
Run from this directory: python3 expected.py > expected.json"""
import json, re

items = json.load(open('llava_test_CQM-A.excerpt.json'))
answers = {a['question_id']: a for a in map(json.loads, open('llava-v1.5-13b.excerpt.jsonl'))}
n = {'correct': 0, 'total': 0, 'img_correct': 0, 'img_total': 0, 'unparsed': 0}
for item in items:
    a = answers[item['id']]
    t = a['text']
    if t in 'ABCDE' and len(t) == 1:
        letter = t
    elif len(t) >= 3 and t[0] in 'ABCDE' and t[1:3] == '. ':
        letter = t[0]
    else:
        found = re.findall(r'The answer is ([A-Z]).', t)
        letter = found[0] if len(found) == 1 else 'FAILED'
    right = letter == item['conversations'][1]['value']
    n['unparsed'] += letter == 'FAILED'
    n['total'] += 1
    n['correct'] += right
    if '<image>' in a['prompt']:
        n['img_total'] += 1
        n['img_correct'] += right
n['accuracy'] = 100 * n['correct'] / n['total']
n['img_accuracy'] = 100 * n['img_correct'] / n['img_total']
print(json.dumps(n, indent=1, sort_keys=True))
