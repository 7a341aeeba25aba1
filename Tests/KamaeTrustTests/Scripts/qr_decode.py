#!/usr/bin/env python3
"""Decodes QR module matrices with zxing-cpp, an independent reader.

Reads a JSON array of symbols from stdin, each {"rows": ["0101…", …]} ('1' = dark,
no quiet zone), and prints a JSON array with, for each symbol, the decoded payload
as lowercase hex, or null when zxing-cpp finds no QR code. Exit status 0 either way.

Used by QRCodeDecodeTests when `python3 -c "import zxingcpp, numpy"` works
(pip install zxing-cpp numpy); otherwise those tests are skipped.
"""

import json
import sys

import numpy
import zxingcpp

PIXELS_PER_MODULE = 4
QUIET_ZONE = 4

def image_of(rows):
    size = len(rows)
    modules = numpy.array([[character == "1" for character in row] for row in rows], dtype=bool)
    padded = numpy.zeros((size + 2 * QUIET_ZONE,) * 2, dtype=bool)
    padded[QUIET_ZONE:QUIET_ZONE + size, QUIET_ZONE:QUIET_ZONE + size] = modules
    scaled = numpy.kron(padded, numpy.ones((PIXELS_PER_MODULE, PIXELS_PER_MODULE), dtype=bool))
    return numpy.where(scaled, 0, 255).astype(numpy.uint8)

def decode(rows):
    results = zxingcpp.read_barcodes(image_of(rows), formats=zxingcpp.BarcodeFormat.QRCode)
    return results[0].bytes.hex() if results else None

def main():
    symbols = json.load(sys.stdin)
    json.dump([decode(symbol["rows"]) for symbol in symbols], sys.stdout)

if __name__ == "__main__":
    main()
