"""Synthetic registers for the issue-7 benchmark: SYSTEMS systems, COMPONENTS components (purls drawn from a pool of
packages in three ecosystems), and an OSV file of ADVISORIES advisories over the same pool, plus a CISA KEV file.

    python3 generate.py OUT_DIR [systems] [components] [advisories] [seed]
"""
import csv, json, os, random, sys

out = sys.argv[1]
systems = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
components = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
advisories = int(sys.argv[4]) if len(sys.argv) > 4 else 5000
random.seed(int(sys.argv[5]) if len(sys.argv) > 5 else 42)
os.makedirs(out, exist_ok=True)

ECOSYSTEMS = [("npm", "npm", lambda i: f"bench-pkg-{i}"), ("maven", "Maven", lambda i: f"jp.example.bench:lib-{i}"), ("pypi", "PyPI", lambda i: f"bench-py-{i}")]
POOL = 20_000

def purl(kind, name, version):
    if kind == "maven":
        group, artifact = name.split(":")
        return f"pkg:maven/{group}/{artifact}@{version}"
    return f"pkg:{kind}/{name}@{version}"

def package(index):
    kind, osv, name = ECOSYSTEMS[index % 3]
    return kind, osv, name(index)

with open(f"{out}/systems.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "name", "kind", "owner_department", "criticality", "confidentiality", "integrity", "availability", "critical_business"])
    for s in range(systems):
        criticality = random.choices(["high", "medium", "low"], [2, 5, 3])[0]
        w.writerow([f"S-{s:05d}", f"業務システム {s}", random.choice(["information_system", "external_service"]), f"部署 {s % 40}", criticality,
                    criticality, "medium", criticality, "true" if criticality == "high" else "false"])

with open(f"{out}/components.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "system", "kind", "product", "vendor", "version", "purl", "end_of_support"])
    for c in range(components):
        kind, _, name = package(random.randrange(POOL))
        version = f"{random.randint(1, 4)}.{random.randint(0, 20)}.{random.randint(0, 9)}"
        eol = random.choice(["", f"{random.randint(2022, 2031)}-{random.randint(1, 12):02d}-28"])
        w.writerow([f"C-{c:06d}", f"S-{c % systems:05d}", "software", name.split(":")[-1], "bench", version, purl(kind, name, version), eol])

records = []
for a in range(advisories):
    kind, osv, name = package(random.randrange(POOL))
    fixed = f"{random.randint(1, 4)}.{random.randint(0, 20)}.0"
    vector = random.choice(["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N",
                            "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:L/A:N"])
    records.append({"id": f"BENCH-2026-{a:05d}", "aliases": [f"CVE-2026-{90000 + a}"], "modified": "2026-11-01T00:00:00Z",
                    "summary": f"benchmark advisory {a}", "severity": [{"type": "CVSS_V3", "score": vector}],
                    "affected": [{"package": {"ecosystem": osv, "name": name}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}]}]})
with open(f"{out}/advisories.json", "w") as f:
    json.dump(records, f)
kev = {"title": "benchmark KEV", "catalogVersion": "2026.11.26", "count": 200,
       "vulnerabilities": [{"cveID": f"CVE-2026-{90000 + a}", "dateAdded": "2026-11-01", "dueDate": "2026-11-22", "knownRansomwareCampaignUse": "Unknown"} for a in range(0, advisories, max(1, advisories // 200))]}
with open(f"{out}/kev.json", "w") as f:
    json.dump(kev, f)
print(f"{systems} systems, {components} components, {advisories} advisories, {len(kev['vulnerabilities'])} KEV entries in {out}")
