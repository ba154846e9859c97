#!/usr/bin/env bash
# Issue 14: the parallel exhaustive search's speed-up, whole runs. Builds the CLI once and alternates, on one ordering,
# an optional baseline CLI, --jobs 1 and --jobs 2 (B, 1, 2, B, 1, 2, ...); prints each run's wall time and peak RSS,
# the medians, the speed-ups, and fails if --jobs 1 and --jobs 2 printed different --json.
#   bash bench/parallel.sh [--runs N] [--baseline CLI] [FILE [CHECK OPTIONS...]]
# Default: the scaled mremap file at 8 pages without symmetry reduction, bound 4 (about 2.5 M states). The search
# alone, without process start-up, is measured in-process by `checker bench --exhaustive FILE` (1 and 2 jobs).
# A baseline is any checker executable (its --json is not compared: another search may print other figures), e.g.
#   git clone -q . /tmp/dfs-base && (cd /tmp/dfs-base && git checkout -q BASE && dotnet build -c Release src/Checker.Cli)
#   bash bench/parallel.sh --runs 5 --baseline /tmp/dfs-base/src/Checker.Cli/bin/Release/net10.0/checker
set -euo pipefail
cd "$(dirname "$0")/.."
runs=3
baseline=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --baseline) baseline=$2; shift 2 ;;
    *) break ;;
  esac
done
file=${1:-bench/orderings/mremap-scaled/mremap-6.6-8.order}
[ $# -gt 0 ] && shift
opts=("$@")
[ ${#opts[@]} -eq 0 ] && opts=(--no-symmetry --bound 4)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet build src/Checker.Cli -c Release -o "$work/cli" -nologo -v q >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# one run: wall seconds and peak RSS (MB; "-" without GNU time) appended to $work/times-NAME and $work/rss-NAME
measure() {
  local name=$1; shift
  local start end
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out-$name.json" || [ $? -eq 1 ]
    # GNU time prefixes "Command exited with non-zero status 1" when the check finds a violation
    tail -1 "$work/time" | awk '{ print $1 }' >>"$work/times-$name"
    tail -1 "$work/time" | awk '{ printf "%.0f\n", $2 / 1024 }' >>"$work/rss-$name"
  else
    start=$(date +%s.%N)
    "$@" >"$work/out-$name.json" || [ $? -eq 1 ]
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }' >>"$work/times-$name"
    echo - >>"$work/rss-$name"
  fi
  printf 'run %d, %s: %.2f s, %s MB\n' "$r" "$name" "$(tail -1 "$work/times-$name")" "$(tail -1 "$work/rss-$name")"
}
names=()
[ -n "$baseline" ] && names+=(baseline)
names+=(jobs1 jobs2)
for ((r = 1; r <= runs; r++)); do
  for name in "${names[@]}"; do
    case $name in
      baseline) measure baseline "$baseline" check "$file" --strategy exhaustive --json "${opts[@]}" ;;
      jobs1) measure jobs1 "$work/cli/checker" check "$file" --strategy exhaustive --json --jobs 1 "${opts[@]}" ;;
      jobs2) measure jobs2 "$work/cli/checker" check "$file" --strategy exhaustive --json --jobs 2 "${opts[@]}" ;;
    esac
  done
  cmp -s "$work/out-jobs1.json" "$work/out-jobs2.json" || { echo "bench/parallel.sh: --jobs 1 and --jobs 2 printed different --json"; exit 1; }
done
states=$(grep -m1 '"states"' "$work/out-jobs1.json" | tr -dc 0-9)
one=$(median <"$work/times-jobs1")
two=$(median <"$work/times-jobs2")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
rss() { [ "$(head -1 "$work/rss-$1")" = - ] && echo - || median <"$work/rss-$1"; }
printf '%s %s: %s states; median of %d runs: 1 job %.2f s (%s MB), 2 jobs %.2f s (%s MB), speed-up %sx' \
  "$file" "${opts[*]}" "$states" "$runs" "$one" "$(rss jobs1)" "$two" "$(rss jobs2)" "$(ratio "$one" "$two")"
if [ -n "$baseline" ]; then
  base=$(median <"$work/times-baseline")
  bstates=$(grep -m1 '"states"' "$work/out-baseline.json" | tr -dc 0-9)
  printf '; baseline %.2f s (%s MB, %s states): 1 job %sx its time, 2 jobs %sx faster' \
    "$base" "$(rss baseline)" "$bstates" "$(ratio "$one" "$base")" "$(ratio "$base" "$two")"
fi
printf '; --json identical; %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
