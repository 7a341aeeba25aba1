#!/usr/bin/env python3
"""Client side of the assessment benchmark (called by run.sh; python3 + requests).

Subcommands, each writing one JSON file of raw figures:
  get     time N GETs of one URL (export), keep the last body
  import  time N multipart imports of one or more files, alternating (web form, session cookie + CSRF)
  toggle  flip implemented <-> partial on every answered item through the API, keeping the other fields
  update  N sequential audited PUTs of one answer, alternating its status, each with the revision just returned
  report  merge the step files of one run into results-<db>.json and print the table
"""
import argparse
import json
import math
import os
import statistics
import sys
import time

TIMEOUT = 30  # seconds per request: every step is bounded


def percentile(values, p):
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary(times_ms, **extra):
    result = {
        "n": len(times_ms),
        "p50_ms": percentile(times_ms, 50),
        "p95_ms": percentile(times_ms, 95),
        "p99_ms": percentile(times_ms, 99),
        "mean_ms": statistics.fmean(times_ms),
        "min_ms": min(times_ms),
        "max_ms": max(times_ms),
    }
    result.update(extra)
    return result


def write(path, data):
    with open(path, "w") as handle:
        json.dump(data, handle, indent=2)
        handle.write("\n")


def fail(message):
    print(f"bench.py: {message}", file=sys.stderr)
    sys.exit(1)


def session(token=None, cookie=None):
    import requests

    s = requests.Session()
    if token:
        s.headers["Authorization"] = f"Bearer {token}"
    if cookie:
        s.headers["Cookie"] = f"kamae_session={cookie}"
    return s


def cmd_get(args):
    s = session(token=args.token)
    times, body = [], b""
    for i in range(args.warmup + args.n):
        start = time.perf_counter()
        response = s.get(args.url, timeout=TIMEOUT)
        body = response.content  # read the whole body inside the timing
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            fail(f"GET {args.url} -> {response.status_code}: {response.text[:300]}")
        if i >= args.warmup:
            times.append(elapsed)
    if args.save:
        with open(args.save, "wb") as handle:
            handle.write(body)
    write(args.out, summary(times, bytes=len(body), url=args.url))


def cmd_import(args):
    s = session(cookie=args.cookie)
    files = []
    for path in args.file:
        with open(path, "rb") as handle:
            files.append((os.path.basename(path), handle.read()))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    times, sizes = [], []
    for i in range(args.warmup + args.n):
        name, data = files[i % len(files)]
        start = time.perf_counter()
        response = s.post(args.url, data={"_csrf": args.csrf}, files={"file": (name, data, xlsx)}, timeout=TIMEOUT)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            fail(f"import of {name} -> {response.status_code}: {response.text[:500]}")
        if i >= args.warmup:
            times.append(elapsed)
            sizes.append(len(data))
    write(args.out, summary(times, files=[name for name, _ in files], bytes=max(sizes), url=args.url))


def answers(s, base, year):
    response = s.get(f"{base}/api/v1/assessments/{year}/answers", params={"per_page": 200}, timeout=TIMEOUT)
    if response.status_code != 200:
        fail(f"answers list -> {response.status_code}: {response.text[:300]}")
    return response.json()["data"]


FIELDS = ["status", "maturity", "not_applicable_reason", "evidence_text", "owner", "target_date"]
FLIP = {"implemented": "partial", "partial": "implemented"}


def cmd_toggle(args):
    s = session(token=args.token)
    changed = 0
    for answer in answers(s, args.base, args.year):
        if answer.get("status") not in FLIP:
            continue
        body = {field: answer.get(field) for field in FIELDS if answer.get(field) is not None}
        body["status"] = FLIP[answer["status"]]
        body["revision"] = answer["revision"]
        response = s.put(f"{args.base}/api/v1/assessments/{args.year}/answers/{answer['item_id']}", json=body, timeout=TIMEOUT)
        if response.status_code != 200:
            fail(f"PUT {answer['item_id']} -> {response.status_code}: {response.text[:300]}")
        changed += 1
    write(args.out, {"changed": changed})


def cmd_update(args):
    s = session(token=args.token)
    current = next((a for a in answers(s, args.base, args.year) if a["item_id"] == args.item), None)
    if current is None:
        fail(f"{args.item} is not in the answers list")
    revision = current["revision"]
    # Start with the status the item does not have, so that every PUT changes something and is audited.
    statuses = ["implemented", "partial"] if current.get("status") == "partial" else ["partial", "implemented"]
    url = f"{args.base}/api/v1/assessments/{args.year}/answers/{args.item}"
    times = []
    for i in range(args.n):
        start = time.perf_counter()
        response = s.put(url, json={"status": statuses[i % 2], "revision": revision}, timeout=TIMEOUT)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            fail(f"PUT {args.item} #{i} -> {response.status_code}: {response.text[:300]}")
        new_revision = response.json()["revision"]
        if new_revision != revision + 1:
            fail(f"PUT {args.item} #{i}: revision {revision} -> {new_revision}, expected one more (was the change audited?)")
        revision = new_revision
        times.append(elapsed)
    write(args.out, summary(times, item=args.item, final_revision=revision))


# ---------------------------------------------------------------- report

REFERENCE = "the leading open-source GRC tool, same kind of machine, 134-requirement framework (issue 4)"


def load(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        return json.load(handle)


def wrk(work, name):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        return None
    with open(path) as handle:
        for line in handle:
            if line.startswith("WRK_JSON "):
                return json.loads(line[len("WRK_JSON "):])
    return None


def cmd_report(args):
    work = args.work
    env = load(work, "env.json") or {}
    cold = load(work, "coldstart.json") or {}
    hyper = load(work, "hyperfine.json")
    ex_xlsx, ex_json = load(work, "export-xlsx.json"), load(work, "export-json.json")
    im_same, im_changing = load(work, "import-same.json"), load(work, "import-changing.json")
    toggle = load(work, "toggle.json") or {}
    update = load(work, "update.json")
    mem = load(work, "memory.json") or {}
    listing, page = wrk(work, "wrk-answers.txt"), wrk(work, "wrk-page.txt")
    listing1, page1 = wrk(work, "wrk-answers-1.txt"), wrk(work, "wrk-page-1.txt")

    rows = []

    def row(name, value, unit, goal=None, op=None, reference=None, ratio=None, note=None):
        passed = None
        if goal is not None and value is not None:
            passed = value <= goal if op == "<=" else value >= goal
        rows.append({
            "metric": name, "value": None if value is None else round(value, 2), "unit": unit,
            "goal": goal, "goal_op": op, "meets_goal": passed,
            "reference": reference, "times_better_than_reference": None if ratio is None else round(ratio, 1), "note": note,
        })

    def ms(stats, key):
        return None if stats is None else stats.get(key)

    restarts = cold.get("restart_demo_ms") or []
    plain = cold.get("restart_ms") or []
    row("cold start, first launch on an empty database (migrate + seed demo) → /health 200", cold.get("fresh_ms"), "ms", 1000, "<=")
    row("cold start, serve --demo on a seeded database → /health 200 (median)", statistics.median(restarts) if restarts else None, "ms", 1000, "<=",
        note=f"runs: {', '.join(f'{v:.0f}' for v in restarts)}")
    row("cold start, serve (no --demo) on a seeded database → /health 200 (median)", statistics.median(plain) if plain else None, "ms", 1000, "<=",
        note=f"runs: {', '.join(f'{v:.0f}' for v in plain)}")
    if hyper:
        for result in hyper.get("results", []):
            row(f"`{result['command'].split('/')[-1]}` (hyperfine mean ± σ {result['stddev'] * 1000:.1f})", result["mean"] * 1000, "ms")
    for label, stats in (("xlsx", ex_xlsx), ("json", ex_json)):
        if stats:
            row(f"export {label}, full assessment (p50; {stats['bytes']} bytes)", stats["p50_ms"], "ms", 100, "<=")
            row(f"export {label} (p95)", stats["p95_ms"], "ms", 100, "<=")
    if im_same:
        row("import xlsx, re-import of the exported file: nothing changes (p50)", im_same["p50_ms"], "ms", 100, "<=")
        row("import xlsx, unchanged file (p95)", im_same["p95_ms"], "ms", 100, "<=")
    if im_changing:
        n = toggle.get("changed")
        row(f"import xlsx, two files alternating, each changing {n} answers, audited (p50)", im_changing["p50_ms"], "ms", 100, "<=")
        row(f"import xlsx, changing {n} answers (p95)", im_changing["p95_ms"], "ms", 100, "<=")
    if listing:
        row("API list all answers, wrk 8 connections (p50)", listing["p50_ms"], "ms", 10, "<=", "440 ms", 440 / listing["p50_ms"] if listing["p50_ms"] else None)
        row("API list all answers, wrk 8 connections (p99)", listing["p99_ms"], "ms")
        row("API list all answers, wrk 8 connections (throughput)", listing["requests_per_s"], "req/s", 500, ">=", "3.6 lists/s", listing["requests_per_s"] / 3.6)
    if listing1:
        row("API list all answers, 1 connection (p50: one request, no queueing)", listing1["p50_ms"], "ms")
    if update:
        row("update one answer, audited, sequential (p50)", update["p50_ms"], "ms", None, None, "75 ms", 75 / update["p50_ms"] if update["p50_ms"] else None)
        row("update one answer, audited, sequential (p99)", update["p99_ms"], "ms", 20, "<=")
    if page:
        row("assessment page, wrk 200 connections (p99)", page["p99_ms"], "ms", 30, "<=")
        row("assessment page, wrk 200 connections (p50)", page["p50_ms"], "ms")
        row("assessment page, wrk 200 connections (throughput)", page["requests_per_s"], "req/s")
    if page1:
        row("assessment page, 1 connection (p50: one request, no queueing)", page1["p50_ms"], "ms")
    if mem.get("rss_kb"):
        rss = mem["rss_kb"] / 1024
        row("memory after warm-up (VmRSS)", rss, "MB", 100, "<=", "1.15 GiB (1177 MB)", 1177 / rss)
        if mem.get("hwm_kb"):
            row("peak memory during the run (VmHWM)", mem["hwm_kb"] / 1024, "MB")
        if mem.get("rss_idle_kb"):
            row("memory right after start, before any request (VmRSS)", mem["rss_idle_kb"] / 1024, "MB")

    errors = {}
    for name, result in (("answers_list", listing), ("answers_list_1", listing1), ("page", page), ("page_1", page1)):
        if result:
            errs = {k: v for k, v in result["errors"].items() if v}
            if errs:
                errors[name] = errs

    results = {
        "database": args.db,
        "environment": env,
        "reference": REFERENCE,
        "metrics": rows,
        "wrk_errors": errors,
        "raw": {
            "coldstart": cold, "hyperfine": hyper, "export_xlsx": ex_xlsx, "export_json": ex_json,
            "import_same": im_same, "import_changing": im_changing, "toggle": toggle,
            "answers_list_wrk": listing, "answers_list_wrk_1_connection": listing1, "update": update,
            "page_wrk": page, "page_wrk_1_connection": page1, "memory": mem,
        },
    }
    write(args.out, results)

    print()
    print(f"Kamae assessment benchmark — {args.db} — {env.get('date', '')} — commit {env.get('commit', '?')}")
    print(f"machine: {env.get('nproc', '?')} cores; load average before: {env.get('load_before', '?')} (CPU busy {env.get('cpu_busy_before_pct', '?')}% in the second before);"
          f" after: {env.get('load_after', '?')} (CPU busy {env.get('cpu_busy_after_pct', '?')}% in the second after)")
    print()
    headers = ["metric", "Kamae", "goal", "ok", "reference", "× better"]
    table = []
    for r in rows:
        value = "—" if r["value"] is None else f"{r['value']:.1f} {r['unit']}"
        goal = "" if r["goal"] is None else f"{r['goal_op']} {r['goal']} {r['unit']}"
        ok = "" if r["meets_goal"] is None else ("yes" if r["meets_goal"] else "NO")
        ratio = "" if r["times_better_than_reference"] is None else f"{r['times_better_than_reference']:.1f}×"
        table.append([r["metric"], value, goal, ok, r["reference"] or "", ratio])
    widths = [max(len(str(line[i])) for line in table + [headers]) for i in range(len(headers))]
    print(" | ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("-+-".join("-" * w for w in widths))
    for line in table:
        print(" | ".join(str(c).ljust(w) for c, w in zip(line, widths)))
    if errors:
        print(f"\nwrk errors: {errors}")
    print(f"\nwritten: {args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("get")
    p.add_argument("url")
    p.add_argument("--token", required=True)
    p.add_argument("-n", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--save")
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_get)

    p = sub.add_parser("import")
    p.add_argument("url")
    p.add_argument("--cookie", required=True)
    p.add_argument("--csrf", required=True)
    p.add_argument("--file", action="append", required=True)
    p.add_argument("-n", type=int, default=20)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_import)

    for name, run in (("toggle", cmd_toggle), ("update", cmd_update)):
        p = sub.add_parser(name)
        p.add_argument("base")
        p.add_argument("--token", required=True)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--out", required=True)
        if name == "update":
            p.add_argument("--item", default="2.1.1-B5")
            p.add_argument("-n", type=int, default=300)
        p.set_defaults(run=run)

    p = sub.add_parser("report")
    p.add_argument("--db", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(run=cmd_report)

    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
