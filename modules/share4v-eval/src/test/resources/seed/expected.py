"""Expected SEED-Bench numbers for the excerpt, computed independently of the Java scorer (standard library only):
exact text match, micro-averaged; image questions only, and all questions when videos are answered.
Run from this directory: python3 expected.py > expected.json"""
import json

bench = json.load(open('SEED-Bench.excerpt.json'))
names = {v: k for k, v in bench['question_type'].items()}


def score(answers_file):
    pred = {}
    for a in map(json.loads, open(answers_file)):
        pred[str(a['question_id'])] = a['text']
    videos = any(q['data_type'] == 'video' and q['question_id'] in pred for q in bench['questions'])
    dims, img, vid = {}, [0, 0], [0, 0]
    for q in bench['questions']:
        if q['data_type'] == 'video' and not videos:
            continue
        right = pred[q['question_id']] == q['answer']
        for c in (dims.setdefault(names[q['question_type_id']], [0, 0]), img if q['data_type'] == 'image' else vid):
            c[0] += right
            c[1] += 1
    out = {'accuracy': 100 * img[0] / img[1], 'correct': img[0], 'total': img[1],
           'dimensions': {k: 100 * v[0] / v[1] for k, v in dims.items()}}
    if videos:
        out['video_accuracy'] = 100 * vid[0] / vid[1]
        out['all_accuracy'] = 100 * (img[0] + vid[0]) / (img[1] + vid[1])
    return out


print(json.dumps({'image': score('image-answers.excerpt.jsonl'), 'all': score('all-answers.excerpt.jsonl')},
                 indent=1, sort_keys=True))
