#!/usr/bin/env python3
"""Independent verifier for a Kamae audit-chain export (JSON Lines), written from the format documented on
`AuditRecord.canonicalEncoding` and `AuditCheckpoint.signedContent` only, so that an auditor can check an export
without trusting the server's code.

usage: verify_chain.py EXPORT.jsonl [--checkpoints CHECKPOINTS.jsonl --public-key HEX]

Exit status 0: intact; 1: the first problem is printed; 2: the files could not be read.
Checkpoint signatures are checked with the `cryptography` package when it is installed.
"""
import argparse
import base64
import hashlib
import json
import re
import struct
import sys
import uuid
from datetime import datetime, timedelta, timezone

GENESIS = hashlib.sha256(b"kamae-audit-chain/1").digest()
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z")
RECORD_KEYS = {"sequence", "occurredAt", "institutionID", "actorID", "actorLogin", "action", "targetType",
               "targetID", "details", "sourceAddress", "previousHash", "hash"}


def field(value):
    """Presence byte, then a 4-byte big-endian length and the bytes; absent is a single 0x00."""
    if value is None:
        return b"\x00"
    return b"\x01" + struct.pack(">I", len(value)) + value


def int64(number):
    return struct.pack(">q", number)


def milliseconds(text):
    match = TIMESTAMP.fullmatch(text)
    if not match:
        raise ValueError(f"bad timestamp {text!r}")
    year, month, day, hour, minute, second, millis = (int(part) for part in match.groups())
    moment = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    return (moment - EPOCH) // timedelta(milliseconds=1) + millis


def text(value):
    return None if value is None else value.encode("utf-8")


def uuid_bytes(value):
    return None if value is None else uuid.UUID(value).bytes


def record_encoding(record):
    return b"".join([
        field(b"kamae-audit-record/1"),
        field(int64(record["sequence"])),
        field(int64(milliseconds(record["occurredAt"]))),
        field(uuid_bytes(record["institutionID"])),
        field(uuid_bytes(record["actorID"])),
        field(text(record["actorLogin"])),
        field(text(record["action"])),
        field(text(record["targetType"])),
        field(text(record["targetID"])),
        field(text(record["details"])),
        field(text(record["sourceAddress"])),
        field(bytes.fromhex(record["previousHash"])),
    ])


def checkpoint_encoding(checkpoint):
    return b"".join([
        field(b"kamae-audit-checkpoint/1"),
        field(int64(checkpoint["sequence"])),
        field(bytes.fromhex(checkpoint["hash"])),
        field(int64(milliseconds(checkpoint["createdAt"]))),
    ])


def read_lines(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def check_signatures(checkpoints, public_key_hex):
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        print("checkpoint signatures NOT checked: the cryptography package is not installed")
        return None
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    for checkpoint in checkpoints:
        try:
            key.verify(base64.b64decode(checkpoint["signature"], validate=True), checkpoint_encoding(checkpoint))
        except InvalidSignature:
            return f"checkpoint {checkpoint['sequence']}: invalid signature"
    print(f"checkpoint signatures verified: {len(checkpoints)}")
    return None


def verify(records, checkpoints):
    by_sequence = {checkpoint["sequence"]: checkpoint["hash"] for checkpoint in checkpoints}
    previous = GENESIS
    for expected, record in enumerate(records, start=1):
        if set(record) != RECORD_KEYS:
            return f"record at line {expected}: keys {sorted(record)}"
        sequence = record["sequence"]
        if sequence != expected:
            return f"record {expected}: found sequence {sequence} instead"
        if bytes.fromhex(record["previousHash"]) != previous:
            return f"record {sequence}: previousHash does not match record {sequence - 1}"
        computed = hashlib.sha256(record_encoding(record)).digest()
        if computed.hex() != record["hash"]:
            return f"record {sequence}: stored hash {record['hash']} but contents give {computed.hex()}"
        if sequence in by_sequence and by_sequence.pop(sequence) != record["hash"]:
            return f"record {sequence}: hash differs from the signed checkpoint"
        previous = computed
    if by_sequence:
        return f"truncated: checkpoint at {min(by_sequence)} but the last record is {len(records)}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export")
    parser.add_argument("--checkpoints")
    parser.add_argument("--public-key")
    arguments = parser.parse_args()
    try:
        records = read_lines(arguments.export)
        checkpoints = read_lines(arguments.checkpoints) if arguments.checkpoints else []
    except (OSError, ValueError) as error:
        print(f"cannot read: {error}")
        return 2
    problem = None
    if checkpoints:
        if not arguments.public_key:
            print("--public-key is needed to check checkpoints")
            return 2
        problem = check_signatures(checkpoints, arguments.public_key)
    try:
        problem = problem or verify(records, checkpoints)
    except (KeyError, TypeError, ValueError) as error:
        problem = f"malformed record: {error!r}"
    if problem:
        print(f"FAIL {problem}")
        return 1
    print(f"OK {len(records)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
