#!/usr/bin/env bash
# Issue 14: the parallel exhaustive search's speed-up, --jobs 1 against --jobs 2, on one ordering: alternating
# runs (1, 2, 1, 2, ...), the median wall time of each, their ratio, and a check that both printed the same --json.
#   bash bench/parallel.sh [--runs N] [FILE [CHECK OPTIONS...]]
# Default: the scaled mremap file at 8 pages without symmetry reduction, bound 4 (about 2.5 M states).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
if [ "${1:-}" = --runs ]; then runs=$2; shift 2; fi
file=${1:-bench/orderings/mremap-scaled/mremap-6.6-8.order}
[ $# -gt 0 ] && shift
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(--no-symmetry --bound 4)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Checker.Cli -c Release -o "$work/cli" -nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for ((r = 1; r <= runs; r++)); do
  for jobs in 1 2; do
    start=$(date +%s.%N)
    "$work/cli/checker" check "$file" --strategy exhaustive --json --jobs "$jobs" "${opts[@]}" >"$work/out-$jobs.json" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >>"$work/times-$jobs"
    printf 'run %d, %d job(s): %.2f s\n' "$r" "$jobs" "$(tail -1 "$work/times-$jobs")"
  done
  cmp -s "$work/out-1.json" "$work/out-2.json" || { echo "bench/parallel.sh: --jobs 1 and --jobs 2 printed different --json"; exit 1; }
done
states=$(grep -m1 '"states"' "$work/out-1.json" | tr -dc 0-9)
one=$(median <"$work/times-1")
two=$(median <"$work/times-2")
printf '%s %s: %s states; median of %d runs: 1 job %.2f s, 2 jobs %.2f s, speed-up %.2fx; --json identical; %s cores, load %s\n' \
  "$file" "${opts[*]}" "$states" "$runs" "$one" "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { print a / b }')" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
