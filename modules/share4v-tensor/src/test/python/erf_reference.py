"""Reference values of erf/erfc from CPython's math module (C library quality, ~1 ulp) for ErfTest.

Run with Debian's interpreter: /usr/bin/python3 erf_reference.py > ../resources/erf/erf_reference.csv
"""
import math

print("x,erf,erfc")
x = -8.0
while x <= 8.0 + 1e-12:
    print(f"{x!r},{math.erf(x)!r},{math.erfc(x)!r}")
    x = round(x + 0.03125, 10)
for x in (1e-12, 1e-6, 0.999, 1.0001, 2.4999, 2.5001, 26.0, 27.0):
    print(f"{x!r},{math.erf(x)!r},{math.erfc(x)!r}")
