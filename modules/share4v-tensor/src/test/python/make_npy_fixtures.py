#!/usr/bin/python3
"""Small .npy files written by numpy itself, so the Java reader is tested against the reference writer.

    /usr/bin/python3 modules/share4v-tensor/src/test/python/make_npy_fixtures.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "npy")
os.makedirs(OUT, exist_ok=True)
np.save(os.path.join(OUT, "f4_2x3.npy"), np.array([[1.5, -2.25, 3.0], [0.1, 1e-30, -7.0]], dtype="<f4"))
np.save(os.path.join(OUT, "f8_scalar.npy"), np.array(6.638401829987123, dtype="<f8"))
np.save(os.path.join(OUT, "f8_3.npy"), np.array([1.0 / 3.0, -2.5e-300, 1e300], dtype="<f8"))
np.save(os.path.join(OUT, "i8_4.npy"), np.array([-200, -100, 0, 9007199254740993], dtype="<i8"))
np.save(os.path.join(OUT, "i4_2x2.npy"), np.array([[1, 0], [-1, 2147483647]], dtype="<i4"))
np.save(os.path.join(OUT, "f2_2.npy"), np.array([1.0, 2.0], dtype="<f2"))
np.save(os.path.join(OUT, "f4_fortran.npy"), np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
