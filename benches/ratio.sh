#!/usr/bin/env bash
# The per-procedure goal of issue 18, measured in rounds so that the machine's state is the
# same for both sides of each ratio:
#   benches/ratio.sh [WORKDIR] [ROUNDS]
# Each round builds the 1,000-procedure corpus three times (every artefact, each build into
# a new folder, nothing deleted during the run) and lints the 1,000 BPMN files of the first
# build with bpmnlint in one node run; the round's ratio is bpmnlint's time over the median
# build. Needs a release build, python3, node and tools/node_modules (npm ci in tools/).
# On ext4 without a journal, files are slow to create for up to six minutes after many files
# were deleted on the same file system (BENCHMARKS.md, tenth part): start rounds after that.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
q="$here/target/release/quytrinh"
gen=${GEN:-$here/../shared/bench}
work=${1:-$(mktemp -d)}
rounds=${2:-4}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$work"
[ -d c1000 ] || python3 "$gen/gen_corpus.py" c1000 --procedures 1000 >/dev/null
mkdir -p built
stamp=$(date +%s)
seconds() { python3 -c 'import sys,time; t=time.perf_counter(); import subprocess; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); print(f"{time.perf_counter()-t:.3f}")' "$@"; }
for r in $(seq "$rounds"); do
  builds=()
  for k in 1 2 3; do
    out="built/r$stamp-$r-$k"
    builds+=("$(seconds "$q" build c1000 -o "$out" --allow-errors --today=2025-11-01)")
  done
  ls "$work/built/r$stamp-$r-1"/*.bpmn > "lint-$r.txt"
  lint=$(cd "$here/tools" && seconds node node_modules/bpmnlint/bin/bpmnlint.js $(cat "$work/lint-$r.txt"))
  python3 - "$r" "$lint" "${builds[@]}" <<'PY'
import sys, statistics
r, lint, builds = sys.argv[1], float(sys.argv[2]), [float(b) for b in sys.argv[3:]]
m = statistics.median(builds)
print(f"round {r}: build {' '.join(f'{b:.2f}' for b in builds)} s (median {m:.2f} s, "
      f"{m:.2f} ms a procedure); bpmnlint {lint:.1f} s ({lint:.1f} ms a procedure); ratio {lint / m:.0f}x")
PY
done
echo "the built folders are in $work/built (remove them when the run is over, not during it)"
