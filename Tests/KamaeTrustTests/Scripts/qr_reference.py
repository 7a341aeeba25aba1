#!/usr/bin/env python3
"""Writes the QR reference fixture for KamaeTrust's QR encoder tests.

The matrices come from segno (https://pypi.org/project/segno/, BSD licence), an
independent pure-Python QR encoder, so the Swift encoder is checked against code
that shares none of its logic. Everything is byte mode, with segno's error-level
boost turned off so the requested level is the one encoded.

One correction is applied to segno: its write_padding_bits adds eight zero bits when
the bit stream already ends on a codeword boundary (always so in byte mode after a
full terminator), where ISO/IEC 18004 §7.4.10 adds none; reported upstream as
https://github.com/heuer/segno/issues/148. The symbols still scan, but their pad
codewords differ from a conforming encoder's. The script replaces that one function
and then checks every pinned matrix against a second encoder, python-qrcode, which
pads as the standard says.

Usage (from the package root):
    pip install segno==1.6.6 qrcode==8.2
    python3 Tests/KamaeTrustTests/Scripts/qr_reference.py > Tests/KamaeTrustTests/Fixtures/qr-reference.json
"""

import hashlib
import importlib.metadata
import json
import platform
import sys
import urllib.parse

import qrcode
import qrcode.util
import segno
import segno.encoder


def _conforming_padding_bits(buff, version, length):
    """ISO/IEC 18004 §7.4.10: zero bits only up to the next codeword boundary."""
    buff.extend([0] * (-length % 8))


assert segno.__version__ == "1.6.6", "check whether segno#148 is fixed before reusing the patch"
segno.encoder.write_padding_bits = _conforming_padding_bits

LEVELS = ["L", "M", "Q", "H"]

# Same rule as TOTP.percentEncoded: only RFC 3986 unreserved characters stay as they are.
def percent_encoded(text):
    return urllib.parse.quote(text, safe="-._~")

def otpauth(account, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", issuer="Kamae"):
    label = percent_encoded(issuer) + ":" + percent_encoded(account)
    return (f"otpauth://totp/{label}?secret={secret}&issuer={percent_encoded(issuer)}"
            "&algorithm=SHA1&digits=6&period=30")

OTPAUTH_ASCII = otpauth("alice@example.com")
OTPAUTH_JAPANESE = otpauth("山田太郎@みずほ銀行.example.jp", issuer="Kamae 監査")

# (name, text, version, level, mask): one full matrix each in the fixture.
MATRIX_CASES = [
    ("empty", "", 1, "M", 0),
    ("single letter", "A", 1, "L", 1),
    ("lowercase word", "hello", 1, "M", 2),
    ("uppercase words", "HELLO WORLD", 1, "Q", 3),
    ("short URL", "https://example.com/", 3, "H", 4),
    ("name", "Kamae", 3, "M", 5),
    ("raw Japanese UTF-8", "二要素認証の設定", 2, "L", 6),
    ("digits in byte mode", "01234567890123456789", 2, "Q", 7),
] + [
    (f"otpauth mask {mask}", OTPAUTH_ASCII, 8, "M", mask) for mask in range(8)
] + [
    ("otpauth Japanese account M", OTPAUTH_JAPANESE, 11, "M", 3),
    ("otpauth Japanese account L", OTPAUTH_JAPANESE, 10, "L", 5),
    ("otpauth Japanese account H", OTPAUTH_JAPANESE, 16, "H", 1),
    ("version 4 quartile", "Kamae self-assessment " * 2, 4, "Q", 2),
    ("version 5 high", "Kamae self-assessment", 5, "H", 6),
    ("version 6 medium", OTPAUTH_ASCII[:100], 6, "M", 0),
    ("version 9 quartile", OTPAUTH_ASCII, 9, "Q", 4),
    ("version 12 high", OTPAUTH_ASCII, 12, "H", 7),
    ("version 15 low", OTPAUTH_JAPANESE * 2, 15, "L", 2),
    ("version 21 medium", "x", 21, "M", 5),
    ("version 40 high", OTPAUTH_JAPANESE, 40, "H", 3),
]

# Inputs encoded with automatic version and mask: segno's smallest version, and a
# digest of segno's symbol for each of the 8 masks, whichever one we pick.
AUTOMATIC_CASES = [
    ("A", "M"), ("hello", "L"), ("https://example.com/", "Q"),
    (OTPAUTH_ASCII, "L"), (OTPAUTH_ASCII, "M"), (OTPAUTH_ASCII, "Q"), (OTPAUTH_ASCII, "H"),
    (OTPAUTH_JAPANESE, "M"), (OTPAUTH_JAPANESE, "H"), ("二要素認証の設定", "M"),
]

# The capacity sweep fills every version and level to the brim with this repeated text.
SWEEP_PATTERN = "Kamae:0123456789abcdefghijklmnopqrstuvwxyz/"

def rows_of(qr):
    return ["".join("1" if module else "0" for module in row) for row in qr.matrix]

def make(data, version, level, mask=None):
    return segno.make_qr(data, version=version, error=level, mode="byte", mask=mask, boost_error=False)

def python_qrcode_rows(data, version, level, mask):
    """The same symbol from python-qrcode, as an independent second opinion."""
    correction = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
                  "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}[level]
    code = qrcode.QRCode(version=version, error_correction=correction, border=0, mask_pattern=mask)
    code.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_8BIT_BYTE))
    code.make(fit=False)
    return ["".join("1" if module else "0" for module in row) for row in code.get_matrix()]

def byte_capacity(version, level):
    """Largest byte-mode payload segno accepts, found by bisection on its own overflow error."""
    low, high = 0, 3000
    while low < high:
        middle = (low + high + 1) // 2
        try:
            make(b"a" * middle, version, level, mask=0)
            low = middle
        except segno.DataOverflowError:
            high = middle - 1
    return low

def sweep_payload(length):
    return (SWEEP_PATTERN * (length // len(SWEEP_PATTERN) + 1))[:length].encode()

def main():
    matrices = []
    for name, text, version, level, mask in MATRIX_CASES:
        qr = make(text.encode("utf-8"), version, level, mask)
        assert (qr.version, qr.error, qr.mask) == (version, level, mask), name
        assert rows_of(qr) == python_qrcode_rows(text.encode("utf-8"), version, level, mask), name
        matrices.append({"name": name, "input": text, "version": version,
                         "errorCorrection": level, "mask": mask, "rows": rows_of(qr)})

    sweep = []
    for version in range(1, 41):
        for index, level in enumerate(LEVELS):
            capacity = byte_capacity(version, level)
            mask = (version + index) % 8
            qr = make(sweep_payload(capacity), version, level, mask)
            digest = hashlib.sha256("\n".join(rows_of(qr)).encode()).hexdigest()
            sweep.append({"version": version, "errorCorrection": level, "byteCapacity": capacity,
                          "mask": mask, "rowsSHA256": digest})

    automatic = []
    for text, level in AUTOMATIC_CASES:
        data = text.encode("utf-8")
        version = make(data, None, level).version
        digests = [hashlib.sha256("\n".join(rows_of(make(data, version, level, mask))).encode()).hexdigest()
                   for mask in range(8)]
        automatic.append({"input": text, "errorCorrection": level, "version": version, "maskRowsSHA256": digests})

    fixture = {
        "generator": {
            "tool": "segno", "toolVersion": segno.__version__, "python": platform.python_version(),
            "patch": "write_padding_bits made ISO/IEC 18004 §7.4.10-conforming (segno issue #148)",
            "crossCheckedWith": "python-qrcode " + importlib.metadata.version("qrcode"),
            "script": "Tests/KamaeTrustTests/Scripts/qr_reference.py",
        },
        "rowsFormat": "one string per row, '1' = dark, no quiet zone; rowsSHA256 hashes the rows joined by LF",
        "sweepPattern": SWEEP_PATTERN,
        "matrices": matrices,
        "capacitySweep": sweep,
        "automatic": automatic,
    }
    json.dump(fixture, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")

if __name__ == "__main__":
    main()
