#!/usr/bin/python3
"""Writes the image decoding / CLIP preprocessing fixtures for io.share4v.data.image tests.

Run with Debian's interpreter (Pillow 9.4, NumPy 1.24, scikit-image 0.19):
    /usr/bin/python3 modules/share4v-data/src/test/python/make_image_fixtures.py

Reference semantics restated here (transformers is not installed, so its CLIPImageProcessor 4.31 steps are
re-stated with PIL + NumPy, one function per step, in the same order and dtypes):
  Image.open(f).convert('RGB')                      -> decode fixture  <name>.rgb.npy (H,W,3 uint8)
  expand2square(img, (122,116,104)) when aspect=pad (ShareGPT4V mm_utils)
  get_resize_output_image_size(default_to_square=False) + PIL resize(BICUBIC, reducing_gap=None)
                                                    -> <name>.<variant>.resized.npy (uint8)
  center_crop (transformers offsets), rescale (uint8 * 1/255 in float64, then astype float32),
  normalize (float32 (x - mean) / std)              -> <name>.<variant>.pixels.npy (3,H,W float32), for a few
Because rescale+normalize is elementwise per channel, norm_lut.npy (3,256 float32) holds the normalised value of
every uint8 level per channel, computed with the same NumPy expressions; Java checks every other case through it.
Large expected arrays are gzip-compressed (.npy.gz) to keep the fixture set small.
"""
import gzip
import io
import json
import os
import re
import struct
import zlib

import numpy as np
import PIL
from PIL import Image
from skimage import data

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "images")
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
RESCALE = 1 / 255
BACKGROUND = tuple(int(x * 255) for x in MEAN)

manifest = {"pillow": PIL.__version__, "numpy": np.__version__, "cases": [], "guards": [], "variants": {}}


def save_npy(name, arr, compress=None):
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(arr))
    raw = buf.getvalue()
    if compress is None:
        compress = len(raw) > 64 * 1024
    if compress:
        name += ".gz"
        raw = gzip.compress(raw, 9, mtime=0)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(raw)
    return name


# ---------------------------------------------------------------- reference pipeline (transformers 4.31 restated)

def expand2square(img, background):
    w, h = img.size
    if w == h:
        return img
    if w > h:
        out = Image.new(img.mode, (w, w), background)
        out.paste(img, (0, (w - h) // 2))
        return out
    out = Image.new(img.mode, (h, h), background)
    out.paste(img, ((h - w) // 2, 0))
    return out


def resize_output_size(h, w, size):
    short, long = (w, h) if w <= h else (h, w)
    if short == size:
        return h, w
    new_short, new_long = size, int(size * long / short)
    return (new_long, new_short) if w <= h else (new_short, new_long)


def center_crop(arr, ch, cw):
    oh, ow = arr.shape[:2]
    top = (oh - ch) // 2
    left = (ow - cw) // 2
    if top >= 0 and left >= 0 and top + ch <= oh and left + cw <= ow:
        return arr[top:top + ch, left:left + cw]
    nh, nw = max(ch, oh), max(cw, ow)
    padded = np.zeros((nh, nw, arr.shape[2]), dtype=arr.dtype)
    tp, lp = (nh - oh) // 2, (nw - ow) // 2
    padded[tp:tp + oh, lp:lp + ow] = arr
    top, left = top + tp, left + lp
    return padded[max(0, top):min(nh, top + ch), max(0, left):min(nw, left + cw)]


def rescale_normalize(arr):
    x = (arr * RESCALE).astype(np.float32)
    mean = np.array(MEAN, dtype=x.dtype)
    std = np.array(STD, dtype=x.dtype)
    return (x - mean) / std


def preprocess(rgb_img, aspect, size, crop):
    img = expand2square(rgb_img, BACKGROUND) if aspect == "pad" else rgb_img
    arr = np.array(img)
    oh, ow = resize_output_size(arr.shape[0], arr.shape[1], size)
    resized = np.array(Image.fromarray(arr).resize((ow, oh), resample=Image.BICUBIC, reducing_gap=None))
    cropped = center_crop(resized, crop, crop)
    return resized, rescale_normalize(cropped).transpose(2, 0, 1)


VARIANTS = {"pad336": ("pad", 336, 336), "square336": ("square", 336, 336), "pad224": ("pad", 224, 224),
            "square224": ("square", 224, 224)}
manifest["variants"] = {k: {"aspect": a, "size": s, "crop": c} for k, (a, s, c) in VARIANTS.items()}

# ---------------------------------------------------------------- source photos


def crop_resize(a, box, size):
    y0, x0, y1, x1 = box
    return Image.fromarray(a[y0:y1, x0:x1]).resize(size, Image.LANCZOS)


astronaut = data.astronaut()
chelsea = data.chelsea()
coffee = data.coffee()
rocket = data.rocket()
camera = data.camera()


def png16(arr, color_type):
    """Pillow cannot write 16-bit colour PNGs, so they are assembled by hand."""
    h, w = arr.shape[:2]
    rows = arr.reshape(h, -1).astype(">u2")
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(h))

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, color_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def wide_gamut_icc():
    """A minimal ICC v2 RGB matrix/TRC profile (Adobe-RGB-like primaries, linear TRC). Any colour-managing
    decoder would change the pixel values a lot; Pillow's convert('RGB') ignores it."""
    def s15(x):
        return struct.pack(">i", int(round(x * 65536)))

    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    curv = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, 0x0100) + b"\0\0"
    text = b"share4v test wide-gamut linear\0"
    desc = b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * 4 + b"\0" * 4 + b"\0" * 3 + b"\0" * 67
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.6097, 0.3111, 0.0195)),
            (b"gXYZ", xyz(0.2053, 0.6257, 0.0609)), (b"bXYZ", xyz(0.1492, 0.0632, 0.7446)),
            (b"rTRC", curv), (b"gTRC", curv), (b"bTRC", curv), (b"cprt", b"text" + b"\0" * 4 + b"none\0\0\0\0")]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, blob in tags:
        while len(blob) % 4:
            blob += b"\0"
        table += sig + struct.pack(">II", offset + len(body), len(blob))
        body += blob
    total = offset + len(body)
    header = (struct.pack(">I", total) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntr" + b"RGB " + b"XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 4 + b"\0" * 4 + b"\0" * 8 + b"\0" * 8 + b"\0" * 4
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 4 + b"\0" * 16 + b"\0" * 28)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def jpeg_bytes(img, **kw):
    b = io.BytesIO()
    img.save(b, "JPEG", **kw)
    return b.getvalue()


def pil_bytes(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, fmt, **kw)
    return b.getvalue()


def ycck_jpeg():
    """Pillow/libjpeg only write Adobe CMYK (transform 0). Store YCC of the inverted RGB plus an inverted K in the
    four components, then flip the APP14 transform byte to 2 so decoders treat the file as YCCK."""
    rgb = np.array(crop_resize(coffee, (0, 100, 400, 500), (160, 160)))
    ycc = np.array(Image.fromarray(255 - rgb).convert("YCbCr"))
    k = np.tile(np.linspace(0, 80, 160).astype(np.uint8), (160, 1))
    stored = np.dstack([ycc, 255 - k])
    # Pillow's CMYK JPEG encoder inverts all four channels (rawmode CMYK;I) before libjpeg sees them.
    d = bytearray(jpeg_bytes(Image.fromarray(255 - stored, "CMYK"), quality=90))
    i = d.find(b"Adobe")
    assert i > 0 and d[i + 11] == 0
    d[i + 11] = 2
    return bytes(d)


def exif_rotated_jpeg():
    img = crop_resize(chelsea, (0, 0, 300, 451), (150, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW": Pillow's convert('RGB') and the reference ignore it
    return jpeg_bytes(img, quality=90, exif=exif.tobytes())


def palette_trns_png():
    img = crop_resize(coffee, (50, 100, 350, 550), (199, 133)).quantize(64)
    trns = bytes(255 if i % 3 else (i * 7) % 256 for i in range(64))
    return pil_bytes(img, "PNG", transparency=trns)


def rgba(a, box, size, seed):
    img = np.array(crop_resize(a, box, size))
    h, w = img.shape[:2]
    alpha = (np.add.outer(np.arange(h) * 3, np.arange(w) * 2) % 256).astype(np.uint8)
    alpha[: h // 4, : w // 4] = 0  # fully transparent pixels keep their RGB: alpha is dropped, not composited
    return Image.fromarray(np.dstack([img, alpha]), "RGBA")


def gray_alpha(a, size):
    g = np.array(Image.fromarray(a).resize(size, Image.LANCZOS))
    alpha = np.tile(np.linspace(0, 255, g.shape[1]).astype(np.uint8), (g.shape[0], 1))
    return Image.fromarray(np.dstack([g, alpha]), "LA")


def gray16():
    g = np.array(Image.fromarray(camera).resize((128, 96), Image.LANCZOS)).astype(np.uint16)
    return png16(g * 4 + (g % 3), 0)  # 0..1022: dark areas stay below 256, bright ones clip in Pillow


def rgb16():
    c = np.array(crop_resize(astronaut, (0, 100, 300, 400), (120, 90))).astype(np.uint16)
    return png16(c * 257 + np.arange(120)[None, :, None].astype(np.uint16), 2)


def gray_alpha16():
    g = np.array(Image.fromarray(camera).resize((64, 80), Image.LANCZOS)).astype(np.uint16) * 257
    alpha = np.full_like(g, 40000)
    return png16(np.dstack([g, alpha]), 4)


def rgba16():
    c = np.array(crop_resize(rocket, (0, 100, 427, 500), (70, 81))).astype(np.uint16) * 257 + 77
    alpha = np.full(c.shape[:2], 1234, np.uint16)
    return png16(np.dstack([c, alpha]), 6)


def gif_descriptor_offset(b):
    """Offset of the first image descriptor (0x2C), walking the blocks so bytes inside extensions never match."""
    i = 13 + (3 * (2 << (b[10] & 7)) if b[10] & 0x80 else 0)
    while b[i] == 0x21:  # extension: introducer, label, then sub-blocks up to a zero length
        i += 2
        while b[i]:
            i += b[i] + 1
        i += 1
    assert b[i] == 0x2C, "no image descriptor"
    return i


def gif_on_canvas(img, screen, offset, transparency=None, table_entries=None):
    """A one-frame GIF whose frame lies at `offset` on a logical screen of `screen` (w, h). Pillow opens such a
    file canvas-sized (screen grown to hold the frame) and fills the rest with palette index 0, or with the
    transparency index when the file has one. table_entries shrinks the global colour table (Pillow always
    writes 256) so that an index past the table can be tested."""
    b = bytearray(pil_bytes(img, "GIF"))
    b[6:10] = struct.pack("<HH", *screen)
    if table_entries is not None:
        bits = table_entries.bit_length() - 2
        assert 2 << bits == table_entries and b[10] & 0x80
        old = 3 * (2 << (b[10] & 7))
        b[10] = (b[10] & 0xF8) | bits
        del b[13 + 3 * table_entries:13 + old]
    d = gif_descriptor_offset(b)
    b[d + 1:d + 5] = struct.pack("<HH", *offset)
    if transparency is not None:  # written here: Pillow's writer drops an index its palette does not use
        b[d:d] = bytes([0x21, 0xF9, 4, 1, 0, 0, transparency, 0])
    return bytes(b)


# name -> (file name, bytes, pipeline variants to write)
A = ("pad336", "square336", "pad224", "square224")
CASES = [
    ("png_rgb_257x193", "png_rgb_257x193.png",
     pil_bytes(crop_resize(astronaut, (0, 0, 384, 512), (257, 193)), "PNG"), A),
    ("png_gray_381x345", "png_gray_381x345.png",
     pil_bytes(Image.fromarray(camera).resize((381, 345), Image.LANCZOS), "PNG"), ("square336", "pad224")),
    ("png_la_150x211", "png_la_150x211.png", pil_bytes(gray_alpha(camera, (150, 211)), "PNG"), ("pad224",)),
    ("png_palette_300x400", "png_palette_300x400.png",
     pil_bytes(crop_resize(astronaut, (0, 0, 512, 384), (300, 400)).quantize(256), "PNG"), ("pad336", "square224")),
    ("png_palette_trns_199x133", "png_palette_trns_199x133.png", palette_trns_png(), ()),
    ("png_rgba_213x320", "png_rgba_213x320.png", pil_bytes(rgba(rocket, (0, 200, 427, 485), (213, 320), 1), "PNG"),
     ("square224",)),
    ("png_gray16_128x96", "png_gray16_128x96.png", gray16(), ()),
    ("png_rgb16_120x90", "png_rgb16_120x90.png", rgb16(), ()),
    ("png_la16_64x80", "png_la16_64x80.png", gray_alpha16(), ()),
    ("png_rgba16_70x81", "png_rgba16_70x81.png", rgba16(), ()),
    ("png_1bit_64x48", "png_1bit_64x48.png",
     pil_bytes(Image.fromarray(camera).resize((64, 48), Image.LANCZOS).convert("1"), "PNG"), ()),
    ("png_icc_wide_160x120", "png_icc_wide_160x120.png",
     pil_bytes(crop_resize(chelsea, (0, 0, 300, 400), (160, 120)), "PNG", icc_profile=wide_gamut_icc()), ()),
    ("png_tiny_1x17", "png_tiny_1x17.png", pil_bytes(crop_resize(coffee, (0, 300, 400, 301), (1, 17)), "PNG"),
     ("pad336", "square224")),
    ("png_tiny_23x2", "png_tiny_23x2.png", pil_bytes(crop_resize(coffee, (200, 0, 202, 600), (23, 2)), "PNG"),
     ("pad224", "square224")),
    ("png_tiny_1x1", "png_tiny_1x1.png", pil_bytes(Image.new("RGB", (1, 1), (200, 30, 7)), "PNG"), ()),
    ("gif_240x180", "gif_240x180.gif", pil_bytes(crop_resize(chelsea, (0, 0, 300, 400), (240, 180)).quantize(200),
                                                  "GIF"), ("pad224",)),
    ("gif_offset_frame_96x80", "gif_offset_frame_96x80.gif",
     gif_on_canvas(crop_resize(chelsea, (0, 0, 300, 400), (64, 48)).quantize(64), (96, 80), (20, 17)),
     ("pad224",)),
    ("gif_offset_trns_90x70", "gif_offset_trns_90x70.gif",
     gif_on_canvas(crop_resize(coffee, (0, 0, 400, 600), (50, 40)).quantize(32), (90, 70), (33, 5), transparency=7),
     ()),
    ("gif_frame_past_screen_62x45", "gif_frame_past_screen_62x45.gif",
     gif_on_canvas(crop_resize(astronaut, (0, 0, 384, 512), (52, 39)).quantize(16), (40, 30), (10, 6)), ()),
    ("gif_trns_past_table_48x40", "gif_trns_past_table_48x40.gif",
     gif_on_canvas(crop_resize(rocket, (0, 100, 427, 420), (30, 22)).quantize(16), (48, 40), (9, 11),
                   transparency=200, table_entries=16), ()),
    ("bmp_rgb_201x150", "bmp_rgb_201x150.bmp", pil_bytes(crop_resize(coffee, (0, 0, 400, 536), (201, 150)), "BMP"),
     ("square224",)),
    ("bmp_palette_97x130", "bmp_palette_97x130.bmp",
     pil_bytes(crop_resize(rocket, (0, 100, 427, 420), (97, 130)).quantize(256), "BMP"), ()),
    ("webp_lossless_200x150", "webp_lossless_200x150.webp",
     pil_bytes(crop_resize(astronaut, (0, 0, 384, 512), (200, 150)), "WEBP", lossless=True), ("pad224",)),
    ("webp_lossless_rgba_120x90", "webp_lossless_rgba_120x90.webp",
     pil_bytes(rgba(chelsea, (0, 0, 300, 400), (120, 90), 2), "WEBP", lossless=True, exact=True), ()),
    ("webp_lossy_301x200", "webp_lossy_301x200.webp",
     pil_bytes(crop_resize(chelsea, (0, 0, 300, 451), (301, 200)), "WEBP", quality=80), ("pad224",)),
    ("jpeg_420_640x427", "jpeg_420_640x427.jpg", jpeg_bytes(Image.fromarray(rocket), quality=85),
     ("pad336", "square336")),
    ("jpeg_444_333x250", "jpeg_444_333x250.jpg",
     jpeg_bytes(crop_resize(astronaut, (0, 0, 384, 512), (333, 250)), quality=92, subsampling=0), ("square224",)),
    ("jpeg_422_301x200", "jpeg_422_301x200.jpg",
     jpeg_bytes(crop_resize(chelsea, (0, 0, 300, 451), (301, 200)), quality=90, subsampling=1), ()),
    ("jpeg_progressive_300x451", "jpeg_progressive_300x451.jpg",
     jpeg_bytes(Image.fromarray(chelsea).transpose(Image.TRANSPOSE), quality=88, progressive=True), ("pad336",)),
    ("jpeg_gray_345x381", "jpeg_gray_345x381.jpg",
     jpeg_bytes(Image.fromarray(camera).resize((345, 381), Image.LANCZOS), quality=90), ()),
    ("jpeg_cmyk_200x200", "jpeg_cmyk_200x200.jpg",
     jpeg_bytes(crop_resize(astronaut, (0, 100, 400, 500), (200, 200)).convert("CMYK"), quality=90), ()),
    ("jpeg_ycck_160x160", "jpeg_ycck_160x160.jpg", ycck_jpeg(), ()),
    ("jpeg_exif_rotated_150x100", "jpeg_exif_rotated_150x100.jpg", exif_rotated_jpeg(), ()),
    ("jpeg_icc_wide_160x120", "jpeg_icc_wide_160x120.jpg",
     jpeg_bytes(crop_resize(chelsea, (0, 0, 300, 400), (160, 120)), quality=90, icc_profile=wide_gamut_icc()), ()),
]

# Cases whose full float32 tensor is stored (the rest are checked through norm_lut.npy).
FULL_TENSOR = {("png_rgb_257x193", "pad336"), ("png_gray_381x345", "pad224"),
               ("jpeg_420_640x427", "square336")}


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f != "NOTICE.md":
            os.remove(os.path.join(OUT, f))

    levels = np.arange(256, dtype=np.uint8).reshape(1, 256, 1).repeat(3, axis=2)
    save_npy("norm_lut.npy", rescale_normalize(levels)[0].T.copy(), compress=False)

    # Exhaustive Pillow CMYK -> RGB: cmyk_lut[c, k] = R of convert('RGB') for CMYK (c, c, c, k).
    cm = np.zeros((256, 256, 4), np.uint8)
    cm[:, :, 0] = cm[:, :, 1] = cm[:, :, 2] = np.arange(256)[:, None]
    cm[:, :, 3] = np.arange(256)[None, :]
    save_npy("cmyk_lut.npy", np.array(Image.fromarray(cm, "CMYK").convert("RGB"))[:, :, 0], compress=False)

    for name, fname, blob, variants in CASES:
        with open(os.path.join(OUT, fname), "wb") as f:
            f.write(blob)
        src = Image.open(io.BytesIO(blob))
        mode, fmt = src.mode, src.format
        rgb_img = src.convert("RGB")
        rgb = np.array(rgb_img)
        case = {"name": name, "file": fname, "format": fmt, "pillowMode": mode, "width": rgb_img.width,
                "height": rgb_img.height, "rgb": save_npy(name + ".rgb.npy", rgb), "variants": {}}
        for v in variants:
            aspect, size, crop = VARIANTS[v]
            resized, pixels = preprocess(rgb_img, aspect, size, crop)
            entry = {"resized": save_npy(f"{name}.{v}.resized.npy", resized)}
            if (name, v) in FULL_TENSOR:
                entry["pixels"] = save_npy(f"{name}.{v}.pixels.npy", pixels.astype(np.float32))
            case["variants"][v] = entry
        manifest["cases"].append(case)

    guards(os.path.join(OUT))
    cli_fixture()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total / 1e6:.2f} MB to {OUT}")


def cli_fixture():
    """For the share4v-cli PixelsCommand test: one small photo and its reference tensor at --size 64."""
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..", "share4v-cli", "src",
                       "test", "resources", "pixels")
    os.makedirs(out, exist_ok=True)
    blob = jpeg_bytes(crop_resize(chelsea, (0, 0, 300, 451), (90, 60)), quality=90)
    with open(os.path.join(out, "chelsea_90x60.jpg"), "wb") as f:
        f.write(blob)
    rgb = Image.open(io.BytesIO(blob)).convert("RGB")
    for aspect in ("pad", "square"):
        _, pixels = preprocess(rgb, aspect, 64, 64)
        np.save(os.path.join(out, f"chelsea_90x60.{aspect}64.npy"), pixels.astype(np.float32))


def pillow_outcome(blob):
    try:
        Image.open(io.BytesIO(blob)).convert("RGB")
        return "ok"
    except Exception as e:  # noqa: BLE001 - the class name is the recorded outcome
        return type(e).__name__ + ": " + re.sub(r" at 0x[0-9a-f]+", "", str(e))  # stable across runs


def guards(out):
    base = jpeg_bytes(crop_resize(coffee, (0, 0, 400, 600), (120, 80)), quality=90)
    png = pil_bytes(crop_resize(coffee, (0, 0, 400, 600), (120, 80)), "PNG")
    progressive = jpeg_bytes(crop_resize(coffee, (0, 0, 400, 600), (120, 80)), quality=90, progressive=True)
    big_png = bytearray(png)
    big_png[16:24] = struct.pack(">II", 20000, 10000)  # IHDR says 200 Mpx: over 2 x MAX_IMAGE_PIXELS
    big_png[29:33] = struct.pack(">I", zlib.crc32(bytes(big_png[12:29])) & 0xFFFFFFFF)
    big_jpg = bytearray(base)
    sof = big_jpg.find(b"\xff\xc0")
    big_jpg[sof + 5:sof + 9] = struct.pack(">HH", 15000, 15000)  # SOF0 height, width: 225 Mpx
    cases = [
        ("zero_bytes.jpg", b"", "ZERO_BYTE_IMAGE"),
        ("truncated.jpg", base[: len(base) * 6 // 10], "CORRUPT_IMAGE"),
        ("truncated_no_eoi.jpg", base[:-2], "CORRUPT_IMAGE"),
        ("truncated_last_10_bytes.jpg", base[:-10], "CORRUPT_IMAGE"),
        ("truncated_progressive.jpg", progressive[: len(progressive) * 7 // 10], "CORRUPT_IMAGE"),
        ("truncated.png", png[: len(png) // 2], "CORRUPT_IMAGE"),
        ("garbage.jpg", bytes((i * 37 + 11) % 256 for i in range(2048)), "CORRUPT_IMAGE"),
        ("text_named.png", b"<html>404 Not Found</html>\n", "CORRUPT_IMAGE"),
        ("bomb_20000x10000.png", bytes(big_png), "IMAGE_TOO_LARGE"),
        ("bomb_15000x15000.jpg", bytes(big_jpg), "IMAGE_TOO_LARGE"),
    ]
    for fname, blob, reason in cases:
        with open(os.path.join(out, fname), "wb") as f:
            f.write(blob)
        manifest["guards"].append({"file": fname, "reason": reason, "pillow": pillow_outcome(blob)})


if __name__ == "__main__":
    main()
