#!/usr/bin/env python3
"""checker repair's time per buggy catalog ordering (issue 15): median and max over --reps runs.

Runs `checker repair --json FILE` (Release build) for every catalog file that expects a violation, one process per
file and repetition, and reads each ordering's own clock ("seconds": the whole repair loop — the original's search, the
candidates, every verification search and the final pct schedules — without .NET start-up). Prints a Markdown
table (ordering, status, repair, median, max), the median and max over the files, the files over the goal, and
the load average before and after (`uptime`): the machine may be shared, so quote the load with the figures.

  python3 bench/repair-times.py [--reps 3] [--only NAME,NAME] [--goal 2.0] [--no-build]
"""
import argparse
import glob
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=3, help="runs per ordering (default 3)")
    ap.add_argument("--only", default="", help="comma-separated catalog names (default: every buggy one)")
    ap.add_argument("--goal", type=float, default=2.0, help="seconds per ordering the issue asks for (default 2.0)")
    ap.add_argument("--no-build", action="store_true", help="use the existing Release build")
    args = ap.parse_args()
    if args.reps < 1:
        ap.error("--reps must be at least 1")

    if not args.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "-nologo", os.path.join(ROOT, "src/Checker.Cli")],
                       check=True, stdout=subprocess.DEVNULL)
    dll = os.path.join(ROOT, "src/Checker.Cli/bin/Release/net10.0/checker.dll")
    if not os.path.exists(dll):
        sys.exit(f"repair-times: error: {dll} not found — build with 'dotnet build -c Release src/Checker.Cli' or drop --no-build")

    files = []
    wanted = [n for n in args.only.split(",") if n]
    for path in sorted(glob.glob(os.path.join(ROOT, "catalog", "*.order"))):
        name = os.path.basename(path)[:-len(".order")]
        if wanted and name not in wanted:
            continue
        with open(path) as f:
            if any(line.startswith("expect violation") for line in f):
                files.append(path)
    missing = set(wanted) - {os.path.basename(p)[:-len(".order")] for p in files}
    if missing:
        sys.exit("repair-times: error: not a buggy catalog ordering: " + ", ".join(sorted(missing)))

    before = load()
    times, status, repair = {}, {}, {}
    for _ in range(args.reps):
        for path in files:  # one process per ordering, as a user runs it (the clock includes the JIT, not start-up)
            run = subprocess.run(["dotnet", dll, "repair", "--json", path], capture_output=True, text=True)
            if run.returncode not in (0, 2):
                sys.exit(f"repair-times: error: checker repair exited {run.returncode}:\n{run.stderr}")
            for o in json.loads(run.stdout)["orderings"]:
                name = os.path.basename(o["file"])[:-len(".order")]
                times.setdefault(name, []).append(o["seconds"])
                status[name] = o["status"]
                if "repair" in o:
                    repair[name] = "; ".join(e["text"].split(" — ")[0] for e in o["repair"]["edits"])
    after = load()

    print(f"checker repair, {len(times)} buggy catalog orderings, {args.reps} run(s) each; load average {before} before, {after} after")
    print()
    print("| ordering | status | repair | median | max |")
    print("|---|---|---|---|---|")
    medians, maxes = [], []
    for name in sorted(times):
        t = times[name]
        med, mx = statistics.median(t), max(t)
        medians.append(med)
        maxes.append(mx)
        print(f"| {name} | {status[name]} | {repair.get(name, '–')} | {med:.2f} s | {mx:.2f} s |")
    over = [n for n in sorted(times) if statistics.median(times[n]) >= args.goal]
    print(f"| **all {len(times)}: median / max of the medians** | | | **{statistics.median(medians):.2f} s** | **{max(medians):.2f} s** |")
    print()
    print(f"over {args.goal:g} s (median): {', '.join(over) if over else 'none'}; slowest single run {max(maxes):.2f} s")
    not_repaired = [n for n in sorted(status) if status[n] != "repaired"]
    if not_repaired:
        print("not repaired: " + ", ".join(not_repaired))
    return 0


if __name__ == "__main__":
    sys.exit(main())
