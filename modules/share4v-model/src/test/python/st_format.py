"""Hand-written safetensors writer and strict reader, following the format as the reference Rust library
(huggingface/safetensors, safetensors/src/tensor.rs) writes and validates it. The `safetensors` Python
package is not installed here; this module reproduces its byte layout:

- tensors sorted by dtype descending (the library's Dtype enum order, which is ascending alignment), then
  by name (byte order);
- header = serde_json compact JSON: "__metadata__" first (if any), then each tensor in data order as
  {"dtype":..,"shape":[..],"data_offsets":[begin,end]};
- header padded with spaces to a multiple of 8 bytes; 8-byte little-endian length first;
- data offsets contiguous from 0, the last one ending at the end of the file.
"""
import json
import struct

import numpy as np
import torch

# Rust enum order (safetensors/src/tensor.rs Dtype): ascending alignment.
DTYPE_ORDER = ["BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
               "I32", "U32", "F32", "F64", "I64", "U64"]
SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2, "F16": 2,
         "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}
TORCH_TO_ST = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
               torch.int64: "I64", torch.int32: "I32", torch.uint8: "U8", torch.int8: "I8", torch.bool: "BOOL",
               torch.int16: "I16"}
ST_TO_TORCH = {v: k for k, v in TORCH_TO_ST.items()}


def tensor_bytes(t):
    """Little-endian bytes of a contiguous tensor (bf16 via its int16 bit pattern)."""
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()


def serialize(tensors, metadata=None):
    """tensors: dict name -> torch tensor. Returns the file bytes, as the Rust library would."""
    items = sorted(tensors.items(),
                   key=lambda kv: (-DTYPE_ORDER.index(TORCH_TO_ST[kv[1].dtype]), kv[0].encode("utf-8")))
    parts = []
    header = []
    offset = 0
    for name, t in items:
        data = tensor_bytes(t)
        header.append((name, TORCH_TO_ST[t.dtype], list(t.shape), offset, offset + len(data)))
        offset += len(data)
        parts.append(data)
    js = "{"
    entries = []
    if metadata is not None:
        entries.append(json.dumps("__metadata__") + ":" + json.dumps(metadata, separators=(",", ":"), ensure_ascii=False))
    for name, dt, shape, b, e in header:
        entries.append(json.dumps(name, ensure_ascii=False) + ":{\"dtype\":\"" + dt + "\",\"shape\":"
                       + json.dumps(shape, separators=(",", ":")) + ",\"data_offsets\":[" + str(b) + "," + str(e) + "]}")
    js += ",".join(entries) + "}"
    hb = js.encode("utf-8")
    hb += b" " * ((8 - len(hb) % 8) % 8)
    return struct.pack("<Q", len(hb)) + hb + b"".join(parts)


def save_file(tensors, path, metadata=None):
    with open(path, "wb") as f:
        f.write(serialize(tensors, metadata))


def read_file(path):
    """Strict reader: returns (metadata, ordered list of (name, torch tensor)). Raises ValueError on any
    deviation from the format (header length, UTF-8, JSON object, dtype, shape x size = span, contiguous
    offsets from 0 to the end of the file)."""
    with open(path, "rb") as f:
        buf = f.read()
    if len(buf) < 8:
        raise ValueError(f"{path}: shorter than 8 bytes")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > 100_000_000 or 8 + n > len(buf):
        raise ValueError(f"{path}: bad header length {n}")
    text = buf[8:8 + n].decode("utf-8")
    if not text.startswith("{"):
        raise ValueError(f"{path}: header does not start with {{")

    def no_dupes(pairs):
        d = {}
        for k, v in pairs:
            if k in d:
                raise ValueError(f"{path}: duplicate key {k}")
            d[k] = v
        return d

    header = json.loads(text, object_pairs_hook=no_dupes)
    metadata = header.pop("__metadata__", None)
    if metadata is not None and not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError(f"{path}: __metadata__ values must be strings")
    infos = []
    for name, info in header.items():
        if set(info.keys()) != {"dtype", "shape", "data_offsets"}:
            raise ValueError(f"{path}: tensor {name} has keys {sorted(info)}")
        dt = info["dtype"]
        if dt not in SIZES:
            raise ValueError(f"{path}: tensor {name} has unknown dtype {dt}")
        shape = info["shape"]
        b, e = info["data_offsets"]
        numel = 1
        for d in shape:
            if not isinstance(d, int) or d < 0:
                raise ValueError(f"{path}: tensor {name} has bad shape {shape}")
            numel *= d
        if e - b != numel * SIZES[dt]:
            raise ValueError(f"{path}: tensor {name} span {e - b} != {numel} x {SIZES[dt]}")
        infos.append((b, e, name, dt, shape))
    infos.sort()
    pos = 0
    for b, e, name, _, _ in infos:
        if b != pos:
            raise ValueError(f"{path}: tensor {name} starts at {b}, expected {pos}")
        pos = e
    data = buf[8 + n:]
    if pos != len(data):
        raise ValueError(f"{path}: tensors cover {pos} bytes, file has {len(data)}")
    out = []
    for b, e, name, dt, shape in infos:
        raw = data[b:e]
        if dt == "BF16":
            t = torch.from_numpy(np.frombuffer(raw, dtype="<i2").copy()).view(torch.bfloat16)
        else:
            npdt = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4", "U8": "u1",
                    "I8": "i1", "BOOL": "?", "I16": "<i2"}[dt]
            t = torch.from_numpy(np.frombuffer(raw, dtype=npdt).copy())
        out.append((name, t.reshape(shape)))
    return metadata, out


def shard(names_and_tensors, max_shard_bytes):
    """transformers' shard_checkpoint: fill a shard in state-dict order; start a new one when the next tensor
    would tip it over the limit (but never leave a shard empty)."""
    blocks = [[]]
    size = 0
    for name, t in names_and_tensors:
        w = t.numel() * t.element_size()
        if size + w > max_shard_bytes and blocks[-1]:
            blocks.append([])
            size = 0
        blocks[-1].append((name, t))
        size += w
    return blocks


def save_sharded(names_and_tensors, out_dir, max_shard_bytes, base="model", ext="safetensors"):
    """Writes an HF sharded checkpoint (model-0000i-of-0000n.safetensors + model.safetensors.index.json)
    or a single model.safetensors when everything fits one shard."""
    import os
    blocks = shard(names_and_tensors, max_shard_bytes)
    total = sum(t.numel() * t.element_size() for _, t in names_and_tensors)
    if len(blocks) == 1:
        save_file(dict(blocks[0]), os.path.join(out_dir, f"{base}.{ext}"), {"format": "pt"})
        return [f"{base}.{ext}"]
    files = []
    weight_map = {}
    for i, block in enumerate(blocks):
        fn = f"{base}-{i + 1:05d}-of-{len(blocks):05d}.{ext}"
        save_file(dict(block), os.path.join(out_dir, fn), {"format": "pt"})
        files.append(fn)
        for name, _ in block:
            weight_map[name] = fn
    index = {"metadata": {"total_size": total}, "weight_map": weight_map}
    with open(os.path.join(out_dir, f"{base}.{ext}.index.json"), "w") as f:
        f.write(json.dumps(index, indent=2, sort_keys=True) + "\n")
    return files
