"""Re-reads a checkpoint directory written by the Java CheckpointWriter with a strict, hand-written
safetensors reader (st_format.read_file: exact header rules of the format, offsets tiling the file) and
torch for the values, and compares every tensor to the expected float32 flat buffer.

    /usr/bin/python3 check_safetensors.py OUT_DIR EXPECTED_FLAT.npy LAYOUT_NAMES.txt [F32|BF16]

LAYOUT_NAMES.txt lists "name d0,d1,..." in flat-buffer order (gen_io_fixtures.py writes it). Tensors under
model.vision_tower.vision_tower. are looked up in OUT_DIR/vision_tower (as vision_model.*) when that
directory exists. Exit status 0 = every tensor found once, with the right shape, dtype and values.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import st_format  # noqa: E402

TOWER = "model.vision_tower.vision_tower."


def read_dir(d):
    """All tensors of an HF directory; checks the index against the shards when sharded."""
    idx = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(idx):
        with open(idx) as f:
            index = json.load(f)
        files = sorted(set(index["weight_map"].values()))
        n = len(files)
        expected_names = [f"model-{i + 1:05d}-of-{n:05d}.safetensors" for i in range(n)]
        assert files == expected_names, (files, expected_names)
    else:
        index = None
        files = ["model.safetensors"]
    tensors = {}
    total = 0
    for fn in files:
        meta, items = st_format.read_file(os.path.join(d, fn))
        assert meta == {"format": "pt"}, (fn, meta)
        for name, t in items:
            assert name not in tensors, f"{name} twice"
            if index is not None:
                assert index["weight_map"][name] == fn, (name, fn)
            tensors[name] = t
            total += t.numel() * t.element_size()
    if index is not None:
        assert set(index["weight_map"]) == set(tensors), "index and shards disagree"
        assert index["metadata"]["total_size"] == total, (index["metadata"]["total_size"], total)
    return tensors


def main():
    out, expected_path, names_path = sys.argv[1:4]
    dtype = {"F32": torch.float32, "BF16": torch.bfloat16}[sys.argv[4] if len(sys.argv) > 4 else "F32"]
    flat = torch.from_numpy(np.load(expected_path).astype(np.float32))
    main_t = read_dir(out)
    tower_dir = os.path.join(out, "vision_tower")
    tower_t = read_dir(tower_dir) if os.path.isdir(tower_dir) else {}
    seen = 0
    offset = 0
    for line in open(names_path):
        name, shape = line.split()
        shape = [int(x) for x in shape.split(",")]
        n = int(np.prod(shape))
        want = flat[offset:offset + n].reshape(shape).to(dtype)
        offset += n
        if name.startswith(TOWER):
            if not tower_t:
                continue
            got = tower_t.pop(name[len(TOWER):])
        else:
            got = main_t.pop(name)
        assert got.dtype == dtype, (name, got.dtype)
        assert list(got.shape) == shape, (name, list(got.shape), shape)
        assert torch.equal(got, want), f"{name}: values differ"
        seen += 1
    assert offset == flat.numel(), (offset, flat.numel())
    assert not main_t and not tower_t, ("unexpected tensors", list(main_t), list(tower_t))
    print(f"OK {out}: {seen} tensors match ({dtype})")


if __name__ == "__main__":
    main()
