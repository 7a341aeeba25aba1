#!/usr/bin/env python3
"""Reference CVSS scores from Red Hat's `cvss` package (which implements FIRST's calculators), for Kamae's tests.

Usage:
    pip install cvss==3.6
    python3 scripts/cvss-reference.py OUTPUT              # every CVSS 4.0 and 3.x base vector, plus samples
    python3 scripts/cvss-reference.py --fixture OUTPUT    # the small committed fixture

Writes one `vector<TAB>score` line per vector (lines starting with # are comments). The score is the one
`kamae cvss` prints: for CVSS 4.0 the score of all metrics given; for CVSS 3.x the environmental score when
an environmental metric is given, else the temporal score when a temporal metric is given, else the base score.

Full output: all 104,976 CVSS 4.0 base vectors, all 2,592 CVSS 3.0 and 2,592 CVSS 3.1 base vectors, and
seeded random vectors with threat/environmental/supplemental (4.0) and temporal/environmental (3.x) metrics.
"""

import argparse
import itertools
import random
import sys
from importlib.metadata import version

PINNED = "3.6"

V4_BASE = [("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"),
           ("VC", "HLN"), ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"), ("SA", "HLN")]
V4_OPTIONAL = [("E", ["X", "A", "P", "U"]), ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]),
               ("AR", ["X", "H", "M", "L"]), ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]),
               ("MAT", ["X", "N", "P"]), ("MPR", ["X", "N", "L", "H"]), ("MUI", ["X", "N", "P", "A"]),
               ("MVC", ["X", "H", "L", "N"]), ("MVI", ["X", "H", "L", "N"]), ("MVA", ["X", "H", "L", "N"]),
               ("MSC", ["X", "H", "L", "N"]), ("MSI", ["X", "S", "H", "L", "N"]), ("MSA", ["X", "S", "H", "L", "N"]),
               ("S", ["X", "N", "P"]), ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]),
               ("RE", ["X", "L", "M", "H"]), ("U", ["X", "Clear", "Green", "Amber", "Red"])]
V3_BASE = [("AV", "NALP"), ("AC", "LH"), ("PR", "NLH"), ("UI", "NR"), ("S", "UC"),
           ("C", "HLN"), ("I", "HLN"), ("A", "HLN")]
V3_TEMPORAL = [("E", "XHFPU"), ("RL", "XUWTO"), ("RC", "XCRU")]
V3_ENVIRONMENTAL = [("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"), ("MAC", "XLH"),
                    ("MPR", "XNLH"), ("MUI", "XNR"), ("MS", "XUC"), ("MC", "XHLN"), ("MI", "XHLN"), ("MA", "XHLN")]


def base_vectors(prefix, metrics):
    for values in itertools.product(*(choices for _, choices in metrics)):
        yield prefix + "/" + "/".join(f"{name}:{value}" for (name, _), value in zip(metrics, values))


def with_random_optional(rng, base, optional, chance):
    """Adds each optional metric with probability `chance`, keeping specification order (X included at times)."""
    fields = [f"{name}:{rng.choice(list(choices))}" for name, choices in optional if rng.random() < chance]
    return base + "".join("/" + field for field in fields)


def score4(vector):
    from cvss import CVSS4
    return CVSS4(vector).base_score


def score3(vector):
    from cvss import CVSS3
    base, temporal, environmental = CVSS3(vector).scores()
    given = {field.split(":")[0] for field in vector.split("/")[1:] if not field.endswith(":X")}
    if given & {name for name, _ in V3_ENVIRONMENTAL}:
        return environmental
    if given & {name for name, _ in V3_TEMPORAL}:
        return temporal
    return base


def vectors(fixture):
    rng = random.Random(20240601)
    v4_base = list(base_vectors("CVSS:4.0", V4_BASE))
    v30_base = list(base_vectors("CVSS:3.0", V3_BASE))
    v31_base = list(base_vectors("CVSS:3.1", V3_BASE))
    if fixture:
        yield from ((v, score4) for v in rng.sample(v4_base, 1800))
        yield from ((with_random_optional(rng, rng.choice(v4_base), V4_OPTIONAL, 0.4), score4) for _ in range(200))
        yield from ((v, score3) for v in v31_base)
        yield from ((v, score3) for v in rng.sample(v30_base, 100))
        for prefix_base in (v30_base, v31_base):
            yield from ((with_random_optional(rng, rng.choice(prefix_base), V3_TEMPORAL + V3_ENVIRONMENTAL, 0.4), score3)
                        for _ in range(100))
        return
    yield from ((v, score4) for v in v4_base)
    yield from ((with_random_optional(rng, rng.choice(v4_base), [V4_OPTIONAL[0]], 1.0), score4) for _ in range(5000))
    yield from ((with_random_optional(rng, rng.choice(v4_base), V4_OPTIONAL, 0.4), score4) for _ in range(20000))
    yield from ((v, score3) for v in v30_base + v31_base)
    for prefix_base in (v30_base, v31_base):
        yield from ((with_random_optional(rng, rng.choice(prefix_base), V3_TEMPORAL, 0.6), score3) for _ in range(2000))
        yield from ((with_random_optional(rng, rng.choice(prefix_base), V3_TEMPORAL + V3_ENVIRONMENTAL, 0.4), score3)
                    for _ in range(5000))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output")
    parser.add_argument("--fixture", action="store_true", help="write the small sample committed as a test fixture")
    arguments = parser.parse_args()
    installed = version("cvss")
    if installed != PINNED:
        sys.exit(f"cvss {installed} is installed; the reference is pinned to cvss=={PINNED} (pip install cvss=={PINNED})")
    count = 0
    with open(arguments.output, "w", encoding="utf-8") as output:
        output.write(f"# generated by scripts/cvss-reference.py{' --fixture' if arguments.fixture else ''} "
                     f"with Red Hat's cvss=={PINNED} (PyPI)\n")
        for vector, score in vectors(arguments.fixture):
            output.write(f"{vector}\t{score(vector):.1f}\n")
            count += 1
    print(f"wrote {count} vectors to {arguments.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
