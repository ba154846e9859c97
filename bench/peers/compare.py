#!/usr/bin/env python3
"""bench/peers/compare.py - the measuring half of bench/compare.sh (which installs and builds first).

Runs, on one machine in one go, interleaved repetition by repetition so that machine noise hits every tool alike:
  Spin    spin -a; gcc -DSAFETY -o pan pan.c; ./pan (DFS, stops at the first error); and the -DREACH build with
          ./pan -i (iterative search for the shortest trail, which explores everything);
  checker the CLI (`checker check FILE --strategy exhaustive --json`), the same CLI published ReadyToRun, and the
          in-process harness Peers.Harness (ExhaustiveExplorer, ScheduleSampler pct) for search-only times;
  FsCheck the Machine<,> state-machine test Peers.FsCheck (Check.One, MaxTest 100 per seed);
on fork-6.0-only-end-no-ir / fork-6.0-only-end-ir-at-flush and mremap-6.0 / mremap-6.6, and prints Markdown tables.
Every time is a median over --reps repetitions (wall clock, perf_counter around the process or, in process, the
harness's own Stopwatch)."""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = os.path.join(ROOT, "bench", "peers")
PROMELA = os.path.join(PEERS, "promela")
CLI = os.path.join(ROOT, "src", "Checker.Cli", "bin", "Release", "net10.0", "checker")
CLI_R2R = os.path.join(PEERS, ".out", "r2r", "checker")
CLI_AOT = os.path.join(PEERS, ".out", "aot", "checker")
HARNESS = os.path.join(PEERS, "Peers.Harness", "bin", "Release", "net10.0", "peers-harness")
FSCHECK = os.path.join(PEERS, "Peers.FsCheck", "bin", "Release", "net10.0", "peers-fscheck")
STALE = "stale-secondary-after-flush"
PAN_HASH = "-w18"  # 2^18 slots: ample for these models (< 20k states); pan's default -w24 spends ~70 ms clearing 128 MB

SCENARIOS = [
    # (label, buggy, fixed)
    ("fork (seed conversion)", "fork-6.0-only-end-no-ir", "fork-6.0-only-end-ir-at-flush"),
    ("mremap (secondary TLB)", "mremap-6.0", "mremap-6.6"),
]


def timed(cmd, cwd=None, check=True, stdout_only=False):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if check and p.returncode not in (0, 2):  # the checker exits 2 when it finds a violation
        sys.exit(f"compare: {' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    # the checker's --json document is its stdout; its log lines ([INF] ...) go to stderr and are no JSON
    return elapsed, p.stdout if stdout_only else p.stdout + p.stderr


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------- Spin

class SpinModel:
    """One .pml compiled twice: -DSAFETY (DFS, first error) and -DSAFETY -DREACH (for -i)."""

    def __init__(self, name, bound, workdir):
        self.name, self.bound = name, bound
        self.dir = os.path.join(workdir, f"{name}-b{bound}")
        os.makedirs(self.dir, exist_ok=True)
        shutil.copy(os.path.join(PROMELA, "mm.pml"), self.dir)
        shutil.copy(os.path.join(PROMELA, name + ".pml"), self.dir)
        self.times = {"spin": [], "gcc": [], "pan": [], "gcc_i": [], "pan_i": []}

    def rep(self):
        pml = self.name + ".pml"
        t, _ = timed(["spin", f"-DBOUND={self.bound}", "-a", pml], cwd=self.dir)
        self.times["spin"].append(t)
        t, _ = timed(["gcc", "-DSAFETY", "-o", "pan", "pan.c"], cwd=self.dir)
        self.times["gcc"].append(t)
        t, out = timed(["./pan", PAN_HASH], cwd=self.dir)
        self.times["pan"].append(t)
        self.dfs = parse_pan(out, os.path.join(self.dir, pml + ".trail"))
        t, _ = timed(["gcc", "-DSAFETY", "-DREACH", "-o", "pan_i", "pan.c"], cwd=self.dir)
        self.times["gcc_i"].append(t)
        t, out = timed(["./pan_i", "-i", PAN_HASH], cwd=self.dir)
        self.times["pan_i"].append(t)
        self.shortest = parse_pan(out, os.path.join(self.dir, pml + ".trail"))

    def median(self, key):
        return med(self.times[key])


def parse_pan(out, trail):
    errors = int(re.search(r"errors: (\d+)", out).group(1))
    stored = int(re.search(r"(\d+) states, stored", out).group(1))
    transitions = int(re.search(r"(\d+) transitions", out).group(1))
    m = re.search(r"assertion violated\s+!\((\w+)\)", out)
    invariant = m.group(1).replace("_", "-") if m else None
    steps = None
    if errors and os.path.exists(trail):
        with open(trail) as f:
            # one trail line per transition; every transition of these models is one d_step = one checker step
            steps = sum(1 for line in f if line.strip() and not line.startswith("-"))
        os.remove(trail)
    complete = "Search not completed" not in out
    return {"errors": errors, "stored": stored, "transitions": transitions, "invariant": invariant,
            "steps": steps, "complete": complete}


# ---------------------------------------------------------------- checker

def cli_check(exe, order, strategy, bound=4, extra=()):
    t, out = timed([exe, "check", order, "--strategy", strategy, "--bound", str(bound), "--json", *extra], stdout_only=True)
    doc = json.loads(out)
    o = doc["orderings"][0]
    steps = None
    if o["found"]:
        trace = o["counterexamples"][o["found"][0]]
        sched = trace.split("--- schedule\n", 1)[1].split("--- end", 1)[0]
        steps = sum(1 for line in sched.splitlines() if line.strip())
    return t, {"found": o["found"], "steps": steps, "explored": o["explored"], "complete": o["complete"], "met": o["met"]}


def harness(order, reps, seeds):
    _, out = timed([HARNESS, order, "--reps", str(reps), "--seeds", str(seeds), "--rate-seconds", "1"])
    return json.loads(out)


def fscheck(name, seeds, max_test=100, bound=4, warmup_ms=1000):
    t, out = timed([FSCHECK, name, "--seeds", str(seeds), "--max-test", str(max_test), "--bound", str(bound),
                    "--warmup-ms", str(warmup_ms)])
    return t, json.loads(out)


# ---------------------------------------------------------------- formatting

def ms(seconds):
    if seconds is None:
        return "–"
    v = seconds * 1000
    return f"{v:.3f} ms" if v < 1 else f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"


def rate(x, unit):
    if x is None:
        return "–"
    return (f"{x / 1e6:.2f} M {unit}/s" if x >= 1e6 else f"{x / 1e3:.1f} k {unit}/s" if x >= 1e3 else f"{x:.0f} {unit}/s")


def ratio(x, ref):
    if x is None or ref is None or ref == 0:
        return ""
    r = x / ref
    return f" (×{r:.2f})" if r < 10 else f" (×{r:.0f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=11, help="repetitions of every timed process (medians)")
    ap.add_argument("--seeds", type=int, default=21, help="pct / FsCheck seeds in process (medians)")
    ap.add_argument("--sweep", default="0,1,2,4,8,16", help="bounds for the agreement and scaling sweep")
    ap.add_argument("--json", help="also write every raw figure here")
    ap.add_argument("--scaling", default="4,8,16,32,64",
                    help="page counts N of the scaled mremap family (bench/orderings/mremap-scaled/) to measure")
    ap.add_argument("--scaling-only", action="store_true", help="only the scaling section (no peer tables, no sweep)")
    ap.add_argument("--spin-timeout", type=int, default=600, help="seconds one scaled Spin search may take")
    ap.add_argument("--spin-memory", type=int, default=4096, help="MB one scaled Spin search may use (-DMEMLIM)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="peers-compare-")
    raw = {"machine": machine(), "scenarios": {}}
    print(f"# bench/compare.sh — {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
    print(f"machine: {raw['machine']['model']}, {raw['machine']['cpus']} CPUs; {raw['machine']['spin']}; "
          f"{raw['machine']['gcc']}; .NET {raw['machine']['dotnet']}; load average {os.getloadavg()[0]:.1f} at the start")
    print(f"every time is a median of {args.reps} runs interleaved across tools (in-process figures: "
          f"{args.reps} repetitions / {args.seeds} seeds); bound 4 (the checker's default) everywhere\n")

    agree = True
    for label, buggy, fixed in ([] if args.scaling_only else SCENARIOS):
        r = {}
        for name in (buggy, fixed):
            order = os.path.join(ROOT, "catalog", name + ".order")
            spin = SpinModel(name, 4, work)
            cli_t, r2r_t, aot_t, fs_t = [], [], [], []
            for _ in range(args.reps):
                spin.rep()
                t, cli = cli_check(CLI, order, "exhaustive")
                cli_t.append(t)
                if os.path.exists(CLI_R2R):
                    t, _ = cli_check(CLI_R2R, order, "exhaustive")
                    r2r_t.append(t)
                if os.path.exists(CLI_AOT):
                    t, _ = cli_check(CLI_AOT, order, "exhaustive")
                    aot_t.append(t)
                t, _ = fscheck(name, 0, warmup_ms=0)  # one process, one cold seed: end to end
                fs_t.append(t)
            cli_pct_t, cli_pct = cli_check(CLI, order, "pct")
            h = harness(order, 21, args.seeds if name == buggy else 3)
            _, fs = fscheck(name, args.seeds)
            r[name] = {"spin": spin, "cli": cli, "cli_t": med(cli_t), "r2r_t": med(r2r_t), "aot_t": med(aot_t), "cli_pct": cli_pct, "cli_pct_t": cli_pct_t,
                       "harness": h, "fscheck": fs, "fscheck_t": med(fs_t)}
        raw["scenarios"][label] = {n: {k: (v.__dict__ if isinstance(v, SpinModel) else v) for k, v in d.items()}
                                   for n, d in r.items()}
        agree &= print_scenario(label, buggy, fixed, r)

    if not args.scaling_only:
        agree &= sweep(args, work, raw)
    agree &= scaling(args, raw)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    print("\nverdicts: " + ("all three tools AGREE on every scenario, twin and bound" if agree else "DISAGREEMENT (see above)"))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(raw, f, indent=1, default=str)
    shutil.rmtree(work, ignore_errors=True)
    return 0 if agree else 1


def print_scenario(label, buggy, fixed, r):
    b, f = r[buggy], r[fixed]
    sb, sf = b["spin"], f["spin"]
    hb, hf = b["harness"], f["harness"]
    fb, ff = b["fscheck"], f["fscheck"]

    # verdicts
    v = {
        "checker exhaustive": (b["cli"]["found"], f["cli"]["found"]),
        "checker pct": (b["cli_pct"]["found"], f["cli_pct"]["found"]),
        "Spin": ([sb.dfs["invariant"]] if sb.dfs["errors"] else [], [sf.dfs["invariant"]] if sf.dfs["errors"] else []),
        "FsCheck": (fb["found"], ff["found"]),
    }
    ok = all(bb == [STALE] and ff_ == [] for bb, ff_ in v.values()) and sf.dfs["complete"] and f["cli"]["complete"]

    ref_e2e = b["cli_t"]
    ref_search = hb["exhaustive"]["warmMedianMs"] / 1000
    ref_rate = hf["exhaustive"]["statesPerSecond"]  # every throughput: the fixed twin's complete search (or runs)
    ref_steps = b["cli"]["steps"]
    spin_compile = sb.median("spin") + sb.median("gcc")
    spin_compile_i = sb.median("spin") + sb.median("gcc_i")

    print(f"\n## {label}: `{buggy}` (buggy) / `{fixed}` (fixed twin)\n")
    print("Ratios in parentheses are the figure divided by the checker-exhaustive figure of the same column "
          "(time and steps: >1 = the checker is better; throughput: <1 = the checker is better).\n")
    print("| tool · mode | verdict buggy / fixed | 1st counterexample, end to end | of which spin -a + gcc "
          "| 1st counterexample, search only | throughput (fixed twin) | counterexample steps | fixed twin proved within bound 4 |")
    print("|---|---|---|---|---|---|---|---|")

    def verdict(pair):
        return f"{', '.join(pair[0]) or 'pass'} / {', '.join(pair[1]) or 'pass'}"

    print(f"| **checker · exhaustive** (CLI) | {verdict(v['checker exhaustive'])} | {ms(ref_e2e)} | – "
          f"| {ms(ref_search)} (cold {hb['exhaustive']['coldMs']:.1f} ms) | {rate(ref_rate, 'states')} "
          f"| {ref_steps} | yes: complete, {f['cli']['explored']:,} states |")
    if b["r2r_t"]:
        print(f"| checker · exhaustive (same CLI, ReadyToRun) | same | {ms(b['r2r_t'])}{ratio(b['r2r_t'], ref_e2e)} | – "
              f"| same engine | same | {ref_steps} | same |")
    if b["aot_t"]:
        print(f"| checker · exhaustive (same CLI, Native AOT) | same | {ms(b['aot_t'])}{ratio(b['aot_t'], ref_e2e)} | – "
              f"| same engine | same | {ref_steps} | same |")
    pct_first = (hb["pct"]["firstMedianMs"] or 0) / 1000
    print(f"| checker · pct (d=3) | {verdict(v['checker pct'])} | – (the CLI runs its whole budget: see note) | – "
          f"| {ms(pct_first)}{ratio(pct_first, ref_search)} after {hb['pct']['firstSchedulesMedian']:.0f} schedule(s) "
          f"| {rate(hf['pct']['schedulesPerSecond'], 'schedules')} "
          f"| {b['cli_pct']['steps']} (first found, shrunk: median {hb['pct']['shrunkLengthMedian']:.0f}) "
          f"| no: {f['cli_pct']['explored']:,} schedules, none violating (not a proof) |")
    spin_e2e = spin_compile + sb.median("pan")
    spin_rate = sf.dfs["stored"] / sf.median("pan")
    print(f"| Spin · DFS (`pan`, stops at 1st error) | {verdict(v['Spin'])} | {ms(spin_e2e)}{ratio(spin_e2e, ref_e2e)} "
          f"| {ms(spin_compile)} | {ms(sb.median('pan'))}{ratio(sb.median('pan'), ref_search)} "
          f"| {rate(spin_rate, 'states')}{ratio(spin_rate, ref_rate)} "
          f"| {sb.dfs['steps']}{ratio(sb.dfs['steps'], ref_steps)} | yes: complete, {sf.dfs['stored']:,} states |")
    spin_i_e2e = spin_compile_i + sb.median("pan_i")
    print(f"| Spin · DFS `-i` (shortest trail) | {verdict(v['Spin'])} | {ms(spin_i_e2e)}{ratio(spin_i_e2e, ref_e2e)} "
          f"| {ms(spin_compile_i)} | {ms(sb.median('pan_i'))}{ratio(sb.median('pan_i'), ref_search)} "
          f"| {rate(sb.shortest['stored'] / sb.median('pan_i'), 'states')} "
          f"| {sb.shortest['steps']}{ratio(sb.shortest['steps'], ref_steps)} | (as above) |")
    fs_first = (fb["firstMedianMs"] or 0) / 1000
    print(f"| FsCheck · `Machine<,>` (MaxTest 100) | {verdict(v['FsCheck'])} | {ms(b['fscheck_t'])}{ratio(b['fscheck_t'], ref_e2e)} "
          f"| – | {ms(fs_first)}{ratio(fs_first, ref_search)} after {fb['runsToFailureMedian']:.0f} run(s) "
          f"| {rate(ff['operationsPerSecondMedian'], 'ops')} ({rate(ff['runsPerSecondMedian'], 'runs')}) "
          f"| {fb['shrunkLengthMedian']:.0f}{ratio(fb['shrunkLengthMedian'], ref_steps)} (min {fb['shrunkLengthMin']:.0f}, max {fb['shrunkLengthMax']:.0f}) "
          f"| no: {ff['maxTest']} runs × {ff['seeds']} seeds passed (not a proof) |")
    print(f"\nnotes: Spin end to end = spin -a ({ms(sb.median('spin'))}) + gcc ({ms(sb.median('gcc'))}; "
          f"-DREACH build {ms(sb.median('gcc_i'))}) + pan; Spin's DFS explored {sb.dfs['stored']} states to its first error, "
          f"`-i` {sb.shortest['stored']}; its throughput is the fixed twin's complete search ({sf.dfs['stored']:,} states, "
          f"{sf.dfs['transitions']:,} transitions in {ms(sf.median('pan'))}). The checker's search-only figure is its "
          f"*complete* exhaustive search (it does not stop at the first violation; it keeps the minimal one), warm, in "
          f"process; cold = the first search in a fresh process, JIT included (the buggy ordering has "
          f"{hb['exhaustive']['states']:,} distinct states, {hb['exhaustive']['transitions']:,} transitions). Its throughput: "
          f"the fixed twin's {hf['exhaustive']['states']:,} distinct states ({hf['exhaustive']['transitions']:,} transitions) "
          f"in {hf['exhaustive']['warmMedianMs']:.2f} ms; pct's: schedules of the fixed twin. The CLI end to end includes "
          f".NET startup, parsing, the search, shrinking, replay and printing. The CLI's pct runs its whole default budget of "
          f"200,000 schedules and does not stop at the first violation: {ms(b['cli_pct_t'])} for the buggy ordering, "
          f"{ms(f['cli_pct_t'])} for the fixed twin, one run each. FsCheck end to end = one process, one seed, to the shrunk counterexample; "
          f"search only = time to the first failing run before shrinking (median of {fb['seeds'] - 1} warm seeds); its "
          f"throughput is the fixed twin's ({ff['maxTest']} runs of up to {ff['maxNumberOfCommands']} operations).")
    if not ok:
        print(f"\n**DISAGREEMENT** in {label}: {v}")
    return ok


def sweep(args, work, raw):
    """Verdicts and counterexample lengths of all three tools at several bounds, and the state counts of the two
    exhaustive tools (which also shows how each grows with the bound)."""
    bounds = [int(x) for x in args.sweep.split(",") if x]
    print("\n## Agreement and scaling over the bound\n")
    print("Verdict (`S` = stale-secondary-after-flush, `–` = none), counterexample steps (checker exhaustive, "
          "Spin `-i`, FsCheck shrunk), and the states the complete searches store (checker distinct states / "
          "Spin states stored) with their search times.\n")
    print("| ordering | bound | checker | Spin | FsCheck | steps c / S / F | checker states, search | Spin states, pan |")
    print("|---|---|---|---|---|---|---|---|")
    ok = True
    rows = []
    for _, buggy, fixed in SCENARIOS:
        for name in (buggy, fixed):
            order = os.path.join(ROOT, "catalog", name + ".order")
            for bound in bounds:
                _, c = cli_check(CLI, order, "exhaustive", bound)
                spin = SpinModel(name, bound, work)
                spin.rep()
                _, fs = fscheck(name, 3, 100, bound, warmup_ms=0)
                h = harness_states(order, bound)
                cv = "S" if c["found"] == [STALE] else ("–" if not c["found"] else ",".join(c["found"]))
                sv = "S" if spin.dfs["invariant"] == STALE else ("–" if not spin.dfs["errors"] else spin.dfs["invariant"])
                fv = "S" if fs["found"] == [STALE] else ("–" if not fs["found"] else ",".join(fs["found"]))
                same = cv == sv == fv
                ok &= same
                steps = f"{c['steps'] or '–'} / {spin.shortest['steps'] or '–'} / " + \
                        (f"{fs['shrunkLengthMin']:.0f}" if fs["shrunkLengthMin"] else "–")
                print(f"| {name} | {bound} | {cv} | {sv} | {fv}{'' if same else ' **≠**'} | {steps} "
                      f"| {h['states']:,}, {h['ms']:.2f} ms | {spin.shortest['stored'] if spin.shortest['errors'] else spin.dfs['stored']:,}, "
                      f"{ms(spin.median('pan_i') if spin.shortest['errors'] else spin.median('pan'))} |")
                rows.append({"name": name, "bound": bound, "checker": c, "spin": spin.dfs, "spin_i": spin.shortest,
                             "fscheck": fs, "harness": h})
    raw["sweep"] = rows
    print("\n(One run per cell: Spin's times are single pan processes, the checker's the median of 5 warm in-process "
          "searches. Spin's figure for a buggy ordering is its `-i` search, which explores everything; for a fixed one the "
          "plain DFS. The checker's come from a complete exhaustive search.)")
    return ok


def spin_scaled(n, kernel, work, timeout_s, memlim_mb):
    """Spin on the scaled mremap model (bench/peers/promela/mremap_scaled.py) for N pages: spin -a, gcc -O2
    -DSAFETY -DMEMLIM, ./pan under `timeout`. Returns the pan figures plus "t" (pan's wall time) and "status":
    "complete", "error" (an assertion failed: pan stops at the first), "out of memory" or "timeout"."""
    d = os.path.join(work, f"scaled-{kernel}-{n}")
    os.makedirs(d, exist_ok=True)
    pml = os.path.join(d, "m.pml")
    with open(pml, "w") as f:
        f.write(subprocess.run([sys.executable, os.path.join(PROMELA, "mremap_scaled.py"), str(n), "--kernel", kernel],
                               capture_output=True, text=True, check=True).stdout)
    timed(["spin", "-a", "m.pml"], cwd=d)
    # the state vector is ~23 bytes a page (1,492 at 64 pages): above pan's default VECTORSZ of 1024
    timed(["gcc", "-O2", "-DSAFETY", "-DVECTORSZ=4096", f"-DMEMLIM={memlim_mb}", "-o", "pan", "pan.c"], cwd=d)
    start = time.perf_counter()
    try:
        p = subprocess.run(["./pan", "-w24"], cwd=d, capture_output=True, text=True, timeout=timeout_s)
        out, timed_out = p.stdout + p.stderr, False
    except subprocess.TimeoutExpired as e:
        out, timed_out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""), True
    t = time.perf_counter() - start
    stored = re.search(r"(\d+) states, stored", out)
    errors = re.search(r"errors: (\d+)", out)
    m = re.search(r"assertion violated\s+!\((\w+)\)", out)
    r = {"t": t, "stored": int(stored.group(1)) if stored else None,
         "invariant": m.group(1).replace("_", "-") if m else None}
    if timed_out:
        r["status"] = "timeout"
    elif "MEMLIM" in out or "out of memory" in out:
        r["status"] = "out of memory"
    elif re.search(r"pan: error", out):
        r["status"] = "failed: " + re.search(r"pan: error.*", out).group(0)
    elif errors and int(errors.group(1)) > 0:
        r["status"] = "error"
    elif errors and "Search not completed" not in out:
        r["status"] = "complete"
    else:
        r["status"] = "failed: " + out[-300:]
    return r


def spin_figure(r):
    if r["status"] == "complete":
        return f"{r['stored']:,}", ms(r["t"])
    if r["status"] == "error":
        return f"{r['invariant']} after {r['stored']:,}", ms(r["t"])
    return f"{r['status']} after {r['t']:.0f} s", "–"


def scaling(args, raw):
    """Issue 14: the mremap path scaled to N pages, 2 CPUs and 2 identical devices, exhaustive at bound 4, with
    symmetry reduction (the default) and without it (small N only: unreduced, the states grow like N^K), beside
    Spin on the same ordering in Promela (bench/peers/promela/mremap_scaled.py, no symmetry reduction) capped by
    --spin-timeout and --spin-memory. Cross-checks the verdicts where both complete, on the fixed 6.6 files and on
    their buggy 6.0 twins (the kernel line changed: the secondary invalidation back in invalidate_range_end).
    Also checks that --json is byte-identical for --jobs 1, 2 and 3. Returns False when a checker run is not
    complete, the documents differ, or a verdict differs."""
    ns = [int(x) for x in args.scaling.split(",") if x]
    print("\n## Scaling: mremap-6.6 on N pages, 2 CPUs, 2 identical devices (bound 4)\n")
    print("`bench/orderings/mremap-scaled/mremap-6.6-N.order` (half the pages moved, half truncated, `reuse off`) and "
          "the same ordering in Promela (`bench/peers/promela/mremap_scaled.py N`). Checker times: median of "
          f"{args.reps} CLI processes, end to end (start-up included). Spin: `spin -a`, `gcc -O2 -DSAFETY "
          f"-DVECTORSZ=4096 -DMEMLIM={args.spin_memory}`, `./pan -w24` (one process; the median of {args.reps} when it takes under "
          f"10 s), pan's time only, capped at {args.spin_timeout} s and {args.spin_memory} MB.\n")
    print("| N | checker states (symmetry) | time | complete | checker states (--no-symmetry) | time "
          "| Spin states stored | Spin time | --json same for --jobs 1/2/3 |")
    print("|---|---|---|---|---|---|---|---|---|")
    ok = True
    raw["scaling"] = {}
    work = tempfile.mkdtemp(prefix="peers-scaling-")
    for n in ns:
        order = f"bench/orderings/mremap-scaled/mremap-6.6-{n}.order"
        ts, spins = [], []
        for rep in range(args.reps):
            t, r = cli_check(CLI, order, "exhaustive")
            ts.append(t)
            if rep == 0 or (spins[0]["status"] == "complete" and spins[0]["t"] < 10):
                spins.append(spin_scaled(n, "6.6", work, args.spin_timeout, args.spin_memory))
        sp = dict(spins[0], t=med([x["t"] for x in spins]))
        docs = set()
        for jobs in (1, 2, 3):
            _, out = timed([CLI, "check", order, "--strategy", "exhaustive", "--json", "--jobs", str(jobs)], stdout_only=True)
            docs.add(out)
        plain, plain_t = None, None
        if n <= 8:
            plain_t, plain = cli_check(CLI, order, "exhaustive", extra=("--no-symmetry",))
        ok &= r["complete"] and len(docs) == 1
        raw["scaling"][n] = {"states": r["explored"], "t": med(ts), "complete": r["complete"], "found": r["found"],
                             "plain_states": plain and plain["explored"], "plain_t": plain_t,
                             "jobs_identical": len(docs) == 1, "spin": sp}
        plain_states = f"{plain['explored']:,}" if plain else "– (not run)"
        spin_states, spin_t = spin_figure(sp)
        print(f"| {n} | {r['explored']:,} | {ms(med(ts))} | {r['complete']} | {plain_states} | {ms(plain_t)} "
              f"| {spin_states} | {spin_t} | {len(docs) == 1} |")
    if ns:
        lo, hi = raw["scaling"][ns[0]], raw["scaling"][ns[-1]]
        mid = raw["scaling"].get(8)
        print(f"\nchecker: states at N = {ns[-1]} / at N = 8: "
              + (f"{hi['states'] / mid['states']:.2f}" if mid else "– (8 not run)")
              + f"; time at N = {ns[-1]} / at N = {ns[0]}: {hi['t'] / lo['t']:.2f}")

    # verdicts: the fixed 6.6 files pass, their 6.0 twins violate stale-secondary-after-flush, in both tools
    print("\nVerdict cross-check (`S` = stale-secondary-after-flush, `–` = none, `?` = Spin did not finish):\n")
    print("| N | 6.6: checker | 6.6: Spin | 6.0 twin: checker | 6.0 twin: Spin | agree |")
    print("|---|---|---|---|---|---|")
    for n in ns:
        src = os.path.join(ROOT, f"bench/orderings/mremap-scaled/mremap-6.6-{n}.order")
        twin = os.path.join(work, f"mremap-6.0-{n}.order")
        with open(src) as f:
            text = f.read()
        with open(twin, "w") as f:
            f.write(re.sub(r"(?m)^kernel 6\.6$", "kernel 6.0", text).replace("expect pass",
                                                                               "expect violation stale-secondary-after-flush"))
        _, c60 = cli_check(CLI, twin, "exhaustive")
        s60 = spin_scaled(n, "6.0", work, args.spin_timeout, args.spin_memory)
        c66, s66 = raw["scaling"][n]["found"], raw["scaling"][n]["spin"]

        def cv(found):
            return "S" if found == [STALE] else ("–" if not found else ",".join(found))

        def sv(r):
            return "S" if r["invariant"] == STALE else ("–" if r["status"] == "complete" else
                                                          ("?" if r["status"] in ("timeout", "out of memory") else r["status"]))
        row = [cv(c66), sv(s66), cv(c60["found"]), sv(s60)]
        same = (row[1] in ("?", row[0])) and (row[3] in ("?", row[2])) and row[0] == "–" and row[2] == "S"
        ok &= same
        print(f"| {n} | {row[0]} | {row[1]} | {row[2]} | {row[3]} | {'yes' if same else '**NO**'} |")
        raw["scaling"][n]["twin"] = {"checker": c60, "spin": s60}
    shutil.rmtree(work, ignore_errors=True)
    return ok


def harness_states(order, bound):
    _, out = timed([HARNESS, order, "--reps", "5", "--seeds", "0", "--bound", str(bound), "--rate-seconds", "0.05"])
    d = json.loads(out)
    return {"states": d["exhaustive"]["states"], "ms": d["exhaustive"]["warmMedianMs"]}


def machine():
    model = cpus = "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = re.search(r"Model name:\s+(.*)", out).group(1).strip()
        cpus = re.search(r"^CPU\(s\):\s+(\d+)", out, re.M).group(1)
    except Exception:
        pass
    spin = subprocess.run(["spin", "-V"], capture_output=True, text=True).stdout.strip()
    gcc = subprocess.run(["gcc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    return {"model": model, "cpus": cpus, "spin": spin, "gcc": gcc, "dotnet": dotnet}


if __name__ == "__main__":
    sys.exit(main())
