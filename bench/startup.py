#!/usr/bin/env python3
"""bench/startup.py - start-up and small-run wall times of the checker CLI as JIT (dotnet checker.dll, and the apphost),
ReadyToRun and Native AOT (issue 16). Build first:

  dotnet build -c Release src/Checker.Cli
  dotnet publish src/Checker.Cli -c Release -p:PublishProfile=r2r     # artifacts/r2r/checker
  dotnet publish src/Checker.Cli -c Release -p:PublishProfile=aot     # artifacts/aot/checker (clang, zlib1g-dev)
  python3 bench/startup.py --runs 11

Runs are interleaved (every build once per round), so machine noise falls on all of them alike; prints the median,
min and max of each, and each median's ratio to JIT (dotnet checker.dll)."""

import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "src", "Checker.Cli", "bin", "Release", "net10.0")
BUILDS = [
    ("JIT (dotnet checker.dll)", ["dotnet", os.path.join(BIN, "checker.dll")]),
    ("JIT (apphost bin/Release/net10.0/checker)", [os.path.join(BIN, "checker")]),
    ("ReadyToRun (artifacts/r2r/checker)", [os.path.join(ROOT, "artifacts", "r2r", "checker")]),
    ("Native AOT (artifacts/aot/checker)", [os.path.join(ROOT, "artifacts", "aot", "checker")]),
]
COMMANDS = [
    ("list >/dev/null", ["list"]),
    ("validate catalog/fork-6.6.order", ["validate", "catalog/fork-6.6.order"]),
    ("check catalog/fork-6.0.order", ["check", "catalog/fork-6.0.order"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    args = ap.parse_args()
    times = {(b, c): [] for b, _ in BUILDS for c, _ in COMMANDS}
    for _ in range(args.runs):
        for c, cargs in COMMANDS:
            for b, exe in BUILDS:
                start = time.perf_counter()
                p = subprocess.run(exe + cargs, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                elapsed = time.perf_counter() - start
                if p.returncode != 0:
                    raise SystemExit(f"{' '.join(exe + cargs)} exited {p.returncode}")
                times[(b, c)].append(elapsed * 1000)
    print(f"median of {args.runs} runs, interleaved; ms (min–max); ratio = JIT dotnet checker.dll median / this median\n")
    print("| command | " + " | ".join(b for b, _ in BUILDS) + " |")
    print("|---|" + "---|" * len(BUILDS))
    for c, _ in COMMANDS:
        ref = statistics.median(times[(BUILDS[0][0], c)])
        cells = []
        for b, _ in BUILDS:
            xs = times[(b, c)]
            m = statistics.median(xs)
            cells.append(f"{m:.0f} ms ({min(xs):.0f}–{max(xs):.0f}), ×{ref / m:.1f}")
        print(f"| `checker {c}` | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
