#!/usr/bin/python3
"""Generates the bundled sample dataset: real photos from scikit-image (small JPEG/PNG files), two LLaVA-format
JSON arrays (a stage-1 caption set and a stage-2 instruction mix) and expected.json, the outcome every record
must get from `share4v shard`. Deterministic; run with Debian's python3:

    /usr/bin/python3 data-manifests/sample/generate.py

The bad records are deliberate: each exercises one reject reason of the sharding job.
"""
import io
import json
import os
import shutil

import numpy as np
import skimage.data as data
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "images")
MAX_FILE = 30 * 1024


def rgb(arr):
    if arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    img = Image.fromarray(arr)
    return img.convert("RGB") if img.mode not in ("RGB", "L") else img


def save(rel, arr, max_side, fmt, quality=70):
    img = rgb(arr)
    img.thumbnail((max_side, max_side), Image.LANCZOS)
    path = os.path.join(IMAGES, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=quality, optimize=True)
    else:
        img.save(buf, "PNG", optimize=True)
    blob = buf.getvalue()
    assert len(blob) < MAX_FILE, (rel, len(blob))
    with open(path, "wb") as f:
        f.write(blob)
    return img.size


def main():
    shutil.rmtree(IMAGES, ignore_errors=True)
    sizes = {}
    # Normal images stay at or under 320x240 = 76,800 pixels (the sample manifests' pixel limit is 100,000).
    sizes["coco/train2017/000000000009.jpg"] = save("coco/train2017/000000000009.jpg", data.astronaut(), 240, "JPEG")
    sizes["coco/train2017/000000000025.jpg"] = save("coco/train2017/000000000025.jpg", data.chelsea(), 320, "JPEG")
    sizes["coco/train2017/000000000030.jpg"] = save("coco/train2017/000000000030.jpg", data.coffee(), 300, "JPEG")
    sizes["sam/images/sa_227.jpg"] = save("sam/images/sa_227.jpg", data.rocket(), 300, "JPEG")
    sizes["sam/images/sa_1010.jpg"] = save("sam/images/sa_1010.jpg", data.coins(), 280, "JPEG")
    sizes["wikiart/images/colorwheel.png"] = save("wikiart/images/colorwheel.png", data.colorwheel(), 160, "PNG")
    sizes["web-landmark/images/hubble.jpg"] = save("web-landmark/images/hubble.jpg", data.hubble_deep_field(), 260, "JPEG")
    sizes["share_textvqa/images/page.png"] = save("share_textvqa/images/page.png", data.page(), 256, "PNG")
    sizes["coco/train2017/000000000042.jpg"] = save("coco/train2017/000000000042.jpg", data.immunohistochemistry(), 240, "JPEG")
    sizes["coco/train2017/000000000077.jpg"] = save("coco/train2017/000000000077.jpg", data.cat(), 300, "JPEG")
    # Over the sample pixel limit: 400x400 = 160,000 pixels, still a small file.
    sizes["sam/images/sa_big.jpg"] = save("sam/images/sa_big.jpg", data.camera(), 400, "JPEG", quality=40)
    for rel, (w, h) in sizes.items():
        if rel != "sam/images/sa_big.jpg":
            assert w * h <= 100_000, rel
    assert sizes["sam/images/sa_big.jpg"][0] * sizes["sam/images/sa_big.jpg"][1] > 100_000

    # Deliberately broken files.
    open(os.path.join(IMAGES, "coco/train2017/000000000000.jpg"), "wb").close()            # zero bytes
    with open(os.path.join(IMAGES, "coco/train2017/000000000001.jpg"), "wb") as f:        # not an image at all
        f.write(b"this is not a JPEG file, just text with a .jpg name\n" * 8)
    good_png = open(os.path.join(IMAGES, "wikiart/images/colorwheel.png"), "rb").read()
    with open(os.path.join(IMAGES, "wikiart/images/truncated.png"), "wb") as f:            # cut mid-IDAT
        f.write(good_png[: len(good_png) * 2 // 5])
    # A real image just outside the image root: a `../` path must be refused even though the file exists.
    save("../outside.jpg", data.clock(), 200, "JPEG")

    def cap(img, caption, prompt="Write a detailed description of the image.\n<image>"):
        return {"image": img, "conversations": [{"from": "human", "value": prompt},
                                                 {"from": "gpt", "value": caption}]}

    stage1, exp1 = [], []

    def add1(rec, outcome, rid=None):
        if rid is not None:
            rec = {"id": rid, **rec}
        stage1.append(rec)
        exp1.append(outcome)

    add1(cap("coco/train2017/000000000009.jpg",
             "An astronaut in a white spacesuit poses in front of an American flag, holding a helmet.",
             "<image>\nWrite a detailed description of the image."), "WRITTEN", "s1-0000")
    add1(cap("coco/train2017/000000000025.jpg",
             "A tabby cat with green eyes sits on a wooden floor and looks to the left."), "WRITTEN", "s1-0001")
    add1(cap("coco/train2017/000000000030.jpg",
             "A cup of coffee with latte art on a saucer, with a spoon, on a red table."), "WRITTEN", "s1-0002")
    add1(cap("sam/images/sa_227.jpg",
             "A rocket stands on a launch pad under a clear blue sky, with a gantry tower beside it."), "WRITTEN", "s1-0003")
    add1(cap("sam/images/sa_1010.jpg",
             "A grayscale photo of old coins arranged in rows on a dark background."), "WRITTEN", "s1-0004")
    add1(cap("wikiart/images/colorwheel.png",
             "A circular color wheel fading from saturated hues at the rim to white in the center."), "WRITTEN", "s1-0005")
    add1(cap("web-landmark/images/hubble.jpg",
             "A deep field image of space filled with galaxies of many shapes and colors."), "WRITTEN", "s1-0006")
    add1("this element is a string, not a record", "MALFORMED_RECORD")
    add1(cap("coco/train2017/000000000009.jpg", "A record without an id."), "MISSING_FIELD")
    add1({"image": "coco/train2017/000000000009.jpg"}, "MISSING_FIELD", "s1-0009")
    add1({"image": "coco/train2017/000000000025.jpg", "conversations": [
        {"from": "human", "value": "<image>\nDescribe the image."},
        {"from": "gpt", "value": "A cat."},
        {"from": "human", "value": "Anything else?"}]}, "PLAIN_NOT_CAPTION_PAIR", "s1-0010")
    add1(cap("coco/train2017/999999999999.jpg", "The image file for this caption does not exist."),
         "MISSING_IMAGE", "s1-0011")
    add1(cap("coco/train2017/000000000000.jpg", "A zero-byte image file."), "ZERO_BYTE_IMAGE", "s1-0012")
    add1(cap("coco/train2017/000000000001.jpg", "A text file with a .jpg name."), "CORRUPT_IMAGE", "s1-0013")
    add1(cap("wikiart/images/truncated.png", "A PNG cut off in the middle of its pixel data."),
         "CORRUPT_IMAGE", "s1-0014")
    add1(cap("coco/../../outside.jpg", "A clock, but its path leaves the image root."),
         "IMAGE_PATH_ESCAPES_ROOT", "s1-0015")
    add1(cap("/etc/hostname", "An absolute image path."), "IMAGE_PATH_ESCAPES_ROOT", "s1-0016")
    add1(cap("coco/train2017/000000000030.jpg", "A second record reusing id s1-0002."), "DUPLICATE_ID", "s1-0002")
    add1(cap("sam/images/sa_big.jpg", "A cameraman with a tripod; this image has more pixels than allowed."),
         "IMAGE_TOO_LARGE", "s1-0018")
    add1(cap("coco/train2017/000000000042.jpg",
             "A microscope slide of tissue stained brown and blue."), "WRITTEN", "s1-0019")
    add1(cap("share_textvqa/images/page.png",
             "A scanned page of printed text with a heading and two paragraphs."), "WRITTEN", "s1-0020")
    add1(cap("coco/train2017/000000000077.jpg",
             "A close-up of a cat's face with whiskers and yellow-green eyes."), "WRITTEN", "s1-0021")
    add1({"conversations": [{"from": "human", "value": "Describe a sunset."},
                            {"from": "gpt", "value": "The sky turns orange and pink."}]},
         "PLAIN_NOT_CAPTION_PAIR", "s1-0022")

    def turns(*pairs):
        out = []
        for i, v in enumerate(pairs):
            out.append({"from": "human" if i % 2 == 0 else "gpt", "value": v})
        return out

    stage2, exp2 = [], []

    def add2(rid, rec, outcome):
        stage2.append({"id": rid, **rec} if rid is not None else rec)
        exp2.append(outcome)

    add2("s2-0000", {"image": "coco/train2017/000000000009.jpg", "conversations": turns(
        "<image>\nWhat is the person wearing?", "A white spacesuit with patches on the arms.")}, "WRITTEN")
    add2("s2-0001", {"image": "sam/images/sa_227.jpg", "conversations": turns(
        "<image>\nWhat vehicle is shown?", "A rocket on a launch pad.",
        "What color is the sky?", "Blue.")}, "WRITTEN")
    add2("s2-0002", {"image": "coco/train2017/000000000030.jpg", "conversations": turns(
        "<image>\nWhat drink is this?", "A latte.", "Is there a spoon?", "Yes, on the saucer.",
        "What color is the table?", "Red.")}, "WRITTEN")
    add2("s2-0003", {"conversations": turns(
        "What is the capital of France?", "The capital of France is Paris.")}, "WRITTEN")
    add2("s2-0004", {"conversations": turns(
        "Give me a word that rhymes with cat.", "Hat.", "Another one?", "Bat.", "And one more?", "Mat.")},
         "WRITTEN")
    add2("s2-0005", {"conversations": [{"from": "human", "value": "Hello?"},
                                       {"from": "human", "value": "Anyone there?"}]}, "BAD_ROLES")
    add2("s2-0006", {"conversations": turns(
        "How does a chat template end a turn?", "With the end-of-sequence marker </s> after each answer.",
        "Thanks.", "You are welcome.")}, "WRITTEN_MISMATCH")
    add2("s2-0007", {"image": "coco/train2017/000000000025.jpg", "conversations": turns(
        "What animal is this?\n<image>", "A cat.")}, "WRITTEN")
    add2("s2-0008", {"image": "sam/images/sa_1010.jpg", "conversations": turns(
        "<image>\nWhat objects are shown?\nAnswer the question using a single word or phrase.", "Coins")},
         "WRITTEN")
    add2("s2-0003", {"conversations": turns("Duplicate id of an earlier record.", "Rejected.")}, "DUPLICATE_ID")
    add2("s1-0000", {"image": "web-landmark/images/hubble.jpg", "conversations": turns(
        "<image>\nWhat does this picture show?", "Many distant galaxies.")}, "WRITTEN")
    add2("s2-0011", {"conversations": turns(
        "Write two sentences about rivers.",
        "Rivers carry fresh water from mountains to the sea. Many cities grew up along their banks.")}, "WRITTEN")
    add2("s2-0012", {"image": "ocr_vqa/images/1437717772.jpg", "conversations": turns(
        "<image>\nWho wrote this book?", "Unknown.")}, "MISSING_IMAGE")
    add2("s2-0013", {"image": "coco/train2017/000000000077.jpg", "conversations": turns(
        "<image>\nWhat animal is this?", "A cat.", "What color are its eyes?", "Yellow-green.")}, "WRITTEN")
    add2("s2-0014", {"conversations": turns(
        "Translate 'good morning' to Spanish.", "Buenos días.", "And to German?", "Guten Morgen.")}, "WRITTEN")
    add2("s2-0015", {"conversations": [{"from": "human", "value": "Hi"},
                                       {"from": "assistant", "value": "Hello"}]}, "BAD_ROLES")
    add2("s2-0016", {"image": "sam/images/sa_big.jpg", "conversations": turns(
        "<image>\nWhat is the man holding?", "A camera.")}, "IMAGE_TOO_LARGE")
    add2("s2-0017", {"image": "wikiart/images/colorwheel.png", "conversations": turns(
        "<image>\nWhat is at the center of the wheel?", "White.")}, "WRITTEN")
    add2("s2-0018", {"conversations": turns("Name a prime number.", "Seven.")}, "WRITTEN")
    add2("s2-0019", {"conversations": []}, "EMPTY_CONVERSATION")

    def dump(name, recs):
        with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
            json.dump(recs, f, indent=1, ensure_ascii=False)
            f.write("\n")

    dump("sample-pt.json", stage1)
    dump("sample-mix.json", stage2)
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"sample-pt": exp1, "sample-mix": exp2}, f, indent=1)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(dp, fn)) for dp, _, fns in os.walk(HERE) for fn in fns)
    print("stage-1 records", len(stage1), "stage-2 records", len(stage2), "sample bytes", total)
    assert total < 1_500_000


if __name__ == "__main__":
    main()
