#!/usr/bin/env python3
"""Collects benchmark results into one file, and prints it as a table.

Usage:
  Benchmarks/report.py results.json                 a plain-text table (what Benchmarks/run prints)
  Benchmarks/report.py --markdown results.json      the same as Markdown, for the README
  Benchmarks/report.py --collect OUT PART.json...   write OUT: the parts plus the machine description

Every part is one benchmark's JSON document, as each Benchmarks/*.py script prints it:
  {"benchmark": "...", "rows": [{"name", "value", "unit", "spread": [min, max], "note"}],
   "ratios": [{"name", "value"}], "notes": ["..."]}
`spread` and `note` are optional. A part may instead be {"benchmark": "...", "error": "..."}
(Benchmarks/run writes that when a script fails), which the table shows as a failure.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30, cwd=ROOT).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    memory = None
    try:
        with open("/proc/meminfo") as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
            memory = round(kib / 1048576, 1)
    except (OSError, StopIteration):
        pass
    swift = command_output(["swift", "--version"]).splitlines()
    commit = command_output(["git", "rev-parse", "--short", "HEAD"])
    dirty = bool(command_output(["git", "status", "--porcelain", "--untracked-files=no"]))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "kernel": platform.release(),
        "os": platform.platform(terse=True),
        "swift": next((line for line in swift if "Swift version" in line), swift[0] if swift else "unknown"),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "commit": commit + ("+uncommitted changes" if dirty else ""),
    }


def collect(out, parts, extra):
    benchmarks = []
    for path in parts:
        try:
            with open(path) as f:
                benchmarks.append(json.load(f))
        except (OSError, ValueError) as error:
            benchmarks.append({"benchmark": os.path.basename(path), "error": f"unreadable result: {error}"})
    document = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                "machine": machine(), **extra, "benchmarks": benchmarks}
    with open(out, "w") as f:
        json.dump(document, f, indent=1, ensure_ascii=False)
        f.write("\n")


def number(value):
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def spread(row):
    values = row.get("spread")
    if not values or len(values) != 2:
        return ""
    return f"{number(values[0])}–{number(values[1])}"


def machine_line(document):
    m = document.get("machine", {})
    return (f"{m.get('cpu', '?')}, {m.get('cores', '?')} cores, {m.get('memory_gib', '?')} GiB, Linux {m.get('kernel', '?')}; "
            f"{m.get('swift', '?')}; Python {m.get('python', '?')}; load at start {m.get('load_average_at_start', '?')}; "
            f"commit {m.get('commit', '?')}; {document.get('date', '?')}")


def tables(document):
    """(measure rows, ratio rows, notes, failures) across all benchmarks."""
    rows, ratios, notes, failures = [], [], [], []
    for bench in document.get("benchmarks", []):
        name = bench.get("benchmark", "?")
        if "error" in bench:
            failures.append(f"{name}: {bench['error']}")
            continue
        for row in bench.get("rows", []):
            rows.append([name, row.get("name", ""), number(row.get("value")), row.get("unit", ""), spread(row),
                         row.get("note", "")])
        for ratio in bench.get("ratios", []):
            ratios.append([name, ratio.get("name", ""), number(ratio.get("value"))])
        notes += [f"{name}: {note}" for note in bench.get("notes", [])]
    return rows, ratios, notes, failures


def plain(document):
    rows, ratios, notes, failures = tables(document)
    out = [f"Machine: {machine_line(document)}"]
    if document.get("elapsed_seconds") is not None:
        out.append(f"Benchmarks took {document['elapsed_seconds']:.0f} s (build excluded: {document.get('build_seconds', 0):.0f} s)")

    def grid(header, body, right):
        widths = [max(len(str(r[i])) for r in [header] + body) for i in range(len(header))]
        lines = []
        for r in [header, ["-" * w for w in widths]] + body:
            cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))]
            lines.append("  ".join(cells).rstrip())
        return lines

    if rows:
        out += [""] + grid(["benchmark", "measure", "median", "unit", "spread (min–max)", "note"], rows, {2})
    if ratios:
        out += [""] + grid(["benchmark", "ratio", "value"], ratios, {2})
    if notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in notes]
    if failures:
        out += ["", "FAILED:"] + [f"  - {f}" for f in failures]
    return "\n".join(out)


def markdown(document):
    rows, ratios, notes, failures = tables(document)

    def cell(text):
        return str(text).replace("|", "\\|")

    out = [f"Machine: {machine_line(document)}", "",
           "| benchmark | measure | median | unit | spread (min–max) | note |", "|---|---|---:|---|---|---|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows]
    if ratios:
        out += ["", "| benchmark | ratio | value |", "|---|---|---:|"]
        out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in ratios]
    if notes:
        out += [""] + [f"- {n}" for n in notes]
    if failures:
        out += ["", "Failed in this run:"] + [f"- {f}" for f in failures]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of plain text")
    parser.add_argument("--collect", metavar="OUT", help="write OUT from the part files given")
    parser.add_argument("--elapsed", type=float, help="with --collect: seconds the benchmarks took")
    parser.add_argument("--build-seconds", type=float, help="with --collect: seconds the build took")
    parser.add_argument("files", nargs="+", help="results file, or the parts with --collect")
    args = parser.parse_args()
    if args.collect:
        extra = {}
        if args.elapsed is not None:
            extra["elapsed_seconds"] = args.elapsed
        if args.build_seconds is not None:
            extra["build_seconds"] = args.build_seconds
        collect(args.collect, args.files, extra)
        return 0
    if len(args.files) != 1:
        parser.error("give one results file")
    with open(args.files[0]) as f:
        document = json.load(f)
    print(markdown(document) if args.markdown else plain(document))
    return 1 if tables(document)[3] else 0


if __name__ == "__main__":
    sys.exit(main())
