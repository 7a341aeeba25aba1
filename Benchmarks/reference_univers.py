#!/usr/bin/env python3
"""A straightforward reference for the Kamae vulnerability benchmark (pip install univers).

Reads a CycloneDX JSON SBOM, indexes its components by (ecosystem, normalised name), then reads every OSV JSON
file of a directory, skips withdrawn records, and evaluates each affected package's ranges with OSV's algorithm
using univers's version classes. Prints the match counts and the time it took.
"""
import argparse
import json
import os
import re
import sys
import time
from urllib.parse import unquote

from univers import versions

VERSION_CLASSES = {
    "npm": versions.SemverVersion,
    "PyPI": versions.PypiVersion,
    "Maven": versions.MavenVersion,
    "Go": versions.GolangVersion,
    "Debian": versions.DebianVersion,
}


def normalise(ecosystem, name):
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


def purl_coordinates(purl):
    """(ecosystem, OSV name, version) for the purl types the benchmark uses."""
    purl = purl.split("#", 1)[0].split("?", 1)[0]
    kind, _, rest = purl[len("pkg:"):].partition("/")
    path, _, version = rest.rpartition("@")
    parts = [unquote(p) for p in path.split("/")]
    if kind == "npm":
        return "npm", "/".join(parts), unquote(version)
    if kind == "pypi":
        return "PyPI", parts[-1], unquote(version)
    if kind == "maven":
        return "Maven", ":".join(["/".join(parts[:-1]), parts[-1]]), unquote(version)
    if kind == "golang":
        return "Go", "/".join(parts), unquote(version)
    if kind == "deb":
        return "Debian", parts[-1], unquote(version)
    return None


def parse_version(cls, text):
    try:
        return cls(text)
    except Exception:
        return None


def is_affected(cls, version, affected):
    if version is None:
        return False
    for listed in affected.get("versions") or []:
        other = parse_version(cls, listed)
        if other is not None and other == version:
            return True
    for range_ in affected.get("ranges") or []:
        if range_.get("type") == "GIT":
            continue
        events = range_.get("events") or []
        limits = [e["limit"] for e in events if "limit" in e]
        if limits and not any("*" in l or (parse_version(cls, l) is not None and version < parse_version(cls, l)) for l in limits):
            continue
        keyed = []
        for position, event in enumerate(events):
            if "limit" in event:
                continue
            (kind, value), = event.items()
            if kind == "introduced" and value == "0":
                keyed.append(((0, None), position, kind, None))
            else:
                parsed = parse_version(cls, value)
                if parsed is None:
                    continue
                keyed.append(((1, parsed), position, kind, parsed))
        keyed = sorted(keyed, key=_SortKey)
        vulnerable = False
        for _, _, kind, bound in keyed:
            if kind == "introduced" and (bound is None or version >= bound):
                vulnerable = True
            elif kind == "fixed" and version >= bound:
                vulnerable = False
            elif kind == "last_affected" and version > bound:
                vulnerable = False
        if vulnerable:
            return True
    return False


class _SortKey:
    """Sorts events by version with introduced "0" first; equal versions keep their order."""

    def __init__(self, item):
        self.rank, self.version, self.position = item[0][0], item[0][1], item[1]

    def __lt__(self, other):
        if self.rank != other.rank:
            return self.rank < other.rank
        if self.version is not None and other.version is not None and self.version != other.version:
            return self.version < other.version
        return self.position < other.position


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sbom", required=True)
    parser.add_argument("--osv", required=True)
    args = parser.parse_args()
    started = time.perf_counter()

    with open(args.sbom, encoding="utf-8") as handle:
        bom = json.load(handle)
    index = {}
    for component in bom.get("components", []):
        coordinates = purl_coordinates(component.get("purl") or "")
        if coordinates is None:
            continue
        ecosystem, name, version = coordinates
        cls = VERSION_CLASSES[ecosystem]
        parsed = parse_version(cls, version[1:] if ecosystem == "Go" and version.startswith("v") else version)
        index.setdefault((ecosystem, normalise(ecosystem, name)), []).append((component["bom-ref"], parsed))

    pairs = set()
    aliases = {}
    for entry in os.scandir(args.osv):
        if not entry.name.endswith(".json"):
            continue
        with open(entry.path, encoding="utf-8") as handle:
            record = json.load(handle)
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected", []):
            package = affected.get("package") or {}
            ecosystem = (package.get("ecosystem") or "").split(":", 1)[0]
            cls = VERSION_CLASSES.get(ecosystem)
            if cls is None:
                continue
            for reference, version in index.get((ecosystem, normalise(ecosystem, package.get("name", ""))), []):
                if is_affected(cls, version, affected):
                    pairs.add((reference, record["id"]))
                    aliases[record["id"]] = [record["id"]] + record.get("aliases", [])

    # One finding per component and vulnerability: records joined through shared aliases count once.
    parent = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for ids in aliases.values():
        for other in ids[1:]:
            parent[root(other)] = root(ids[0])
    merged = {(reference, root(advisory)) for reference, advisory in pairs}
    elapsed = time.perf_counter() - started
    print(f"{len(pairs)} matches, {len(merged)} findings, {elapsed:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
