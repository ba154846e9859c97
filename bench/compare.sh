#!/usr/bin/env bash
# bench/compare.sh — the checker side by side with Spin and an FsCheck state machine, in one run on one machine.
#
# On catalog/fork-6.0-only-end-no-ir.order (+ its fixed twin fork-6.0-only-end-ir-at-flush) and
# catalog/mremap-6.0.order (+ mremap-6.6): Spin's exhaustive search (spin -a, gcc, ./pan, with and without -i) on
# the Promela models in bench/peers/promela/, the FsCheck Machine<,> test in bench/peers/Peers.FsCheck/, and the
# checker's exhaustive and pct strategies (CLI, plus the in-process harness bench/peers/Peers.Harness/). Prints
# Markdown tables: time to the first counterexample, states or schedules per second, counterexample length, whether
# the fixed twin was proved within the bound, each as a ratio to the checker's; then a bound sweep checking that the
# three tools agree. bench/peers/RESULTS.md has a run and its reading.
#
# usage: bench/compare.sh [--reps N] [--seeds N] [--sweep 0,1,2,4,8,16] [--scaling 4,8,16,32,64]
#                         [--scaling-only] [--spin-timeout S] [--spin-memory MB] [--json FILE]
# --scaling: the issue-14 family bench/orderings/mremap-scaled/ (symmetry on and off, --json across --jobs 1/2/3)
# beside Spin on the same ordering generated in Promela for each N (bench/peers/promela/mremap_scaled.py), each
# Spin search capped at --spin-timeout seconds (default 600) and --spin-memory MB (default 4096): a cap reached is
# printed as "timeout after S s" / "out of memory after S s"; and a verdict cross-check on the 6.6 files and
# their 6.0 twins.
# Exit 0 when the three tools agree on every verdict, 1 when they do not.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v spin >/dev/null || need+=(spin)
command -v gcc >/dev/null || need+=(gcc)
command -v python3 >/dev/null || need+=(python3)
if ((${#need[@]})); then
  echo "compare.sh: installing ${need[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >&2
fi

echo "compare.sh: building (Release)" >&2
dotnet build -c Release src/Checker.Cli/Checker.Cli.csproj -v q -nologo >&2
dotnet build -c Release bench/peers/Peers.Harness/Peers.Harness.csproj -v q -nologo >&2
dotnet build -c Release bench/peers/Peers.FsCheck/Peers.FsCheck.csproj -v q -nologo >&2
# The same CLI, published ReadyToRun (ahead-of-time compiled IL, still JIT-capable) into bench/peers/.out: a
# deployment choice, not a code change; its build files go under .out too so src/ stays as it is.
dotnet publish src/Checker.Cli/Checker.Cli.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true --artifacts-path bench/peers/.out/artifacts -o bench/peers/.out/r2r -v q -nologo >&2 \
  || echo "compare.sh: ReadyToRun publish failed; that row is skipped" >&2
# And Native AOT (src/Checker.Cli/Properties/PublishProfiles/aot.pubxml; needs clang and zlib1g-dev)
dotnet publish src/Checker.Cli/Checker.Cli.csproj -p:PublishProfile=aot --artifacts-path bench/peers/.out/artifacts \
  -p:PublishDir="$PWD/bench/peers/.out/aot/" -v q -nologo >&2 \
  || echo "compare.sh: Native AOT publish failed (apt-get install clang zlib1g-dev); that row is skipped" >&2

exec python3 bench/peers/compare.py "$@"
