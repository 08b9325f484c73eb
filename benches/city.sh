#!/usr/bin/env bash
# The city-scale figures of BENCHMARKS.md, measured side by side with their peers:
#   benches/city.sh [WORKDIR]
# needs a release build (cargo build --release), python3, hyperfine, node and
# tools/node_modules (bpmnlint), and the generators of the synthetic corpus
# (GEN=folder holding gen_corpus.py and gen_long.py; ../shared/bench by default).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
q="$here/target/release/quytrinh"
gen=${GEN:-$here/../shared/bench}
work=${1:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$work"
today=--today=2025-11-01

for n in 2500 5000 10000 1000; do
  [ -d "c$n" ] || python3 "$gen/gen_corpus.py" "c$n" --procedures "$n" >/dev/null
done
[ -d long300 ] || python3 "$gen/gen_long.py" long300 300 >/dev/null
echo "corpus of 10,000 procedures: $(du -sh c10000 | cut -f1), $(find c10000 -name '*.proc' | wc -l) files"

echo "== check of the 10,000-procedure corpus, next to cat | wc -l"
hyperfine --warmup 1 --runs 5 -i \
  "cat \$(find c10000 -name '*.proc') | wc -l" \
  "$q check c10000 --format json $today >/dev/null" --export-markdown check.md
cat check.md
echo "peak memory of check (KiB): $( { /usr/bin/time -f %M "$q" check c10000 --format json $today >/dev/null; } 2>&1 | tail -n 1)"
echo "one thread: $( { /usr/bin/time -f '%e s wall, %M KiB' env RAYON_NUM_THREADS=1 "$q" check c10000 --format json $today >/dev/null; } 2>&1 | tail -n 1)"

echo "== growth of check from 1/4 to the full corpus"
for n in 2500 5000 10000; do
  hyperfine --warmup 1 --runs 5 -i "$q check c$n --format json $today >/dev/null" \
    --export-json "grow$n.json" >/dev/null
done
python3 - <<'EOF'
import json, math
t = {n: json.load(open(f"grow{n}.json"))["results"][0]["median"] for n in (2500, 5000, 10000)}
for n in t: print(f"{n:>6} procedures: {t[n]:.3f} s (median of 5)")
print(f"exponent 1/4 -> full: {math.log(t[10000] / t[2500]) / math.log(4):.2f}")
print(f"exponent 1/2 -> full: {math.log(t[10000] / t[5000]) / math.log(2):.2f}")
EOF

# Every build goes into a folder of its own, as a CI's clean clone does: on a file system
# without a journal, ext4 looks past every inode freed in the last minute when it makes a
# file, so a build right after `rm -rf` of the last one's 7,000 files pays seconds of kernel
# time that measure the file system, not the build (BENCHMARKS.md, fifth part). The folders
# are removed at the end.
fresh() { echo "built/$1-$RANDOM$RANDOM"; }
mkdir -p built
echo "== build (every artefact, proposals included; the Word packets' diagrams drawn as Word shapes, then without them)"
for n in 1000 10000; do
  out=$(fresh "out$n")
  echo "build of $n procedures: $( { /usr/bin/time -f '%e s wall, %U s user, %M KiB' "$q" build "c$n" -o "$out" --allow-errors $today >/dev/null; } 2>&1 | tail -n 1)"
  [ "$n" = 1000 ] && ln -sfn "$out" out1000
  echo "build of $n procedures, --no-docx-diagram: $( { /usr/bin/time -f '%e s wall, %U s user, %M KiB' "$q" build "c$n" -o "$(fresh "out$n")" --allow-errors --no-docx-diagram $today >/dev/null; } 2>&1 | tail -n 1)"
done

echo "== per procedure: build vs bpmnlint on the BPMN it wrote (all 1,000 procedures: the goal's figure)"
# The 1,000 BPMN files of out1000, linted in one node run (bpmnlint takes every file on one
# command line); build and lint each pay their start-up once, so the ratio is per procedure.
ls "$work"/out1000/*.bpmn > lint1000.txt
echo "$(wc -l < lint1000.txt) BPMN files"
hyperfine --warmup 1 --runs 3 -i \
  "$q build c1000 -o built/b-\$RANDOM\$RANDOM --allow-errors $today >/dev/null" \
  "$q build c1000 -o built/n-\$RANDOM\$RANDOM --allow-errors --no-docx-diagram $today >/dev/null" \
  --export-markdown build1000.md
cat build1000.md
hyperfine --runs 1 -i \
  "cd $here/tools && node node_modules/bpmnlint/bin/bpmnlint.js \$(cat $work/lint1000.txt) >/dev/null" \
  --export-markdown lint1000.md
cat lint1000.md

echo "== per procedure: build vs bpmnlint on the BPMN it wrote (the first 20 procedures: start-up dominates both)"
mkdir -p sample/so0
cp c1000/quytrinh.toml c1000/agencies.proc sample/
cp c1000/so0/qt_00000.proc c1000/so1/qt_00001.proc sample/so0/
rm -rf outsample; "$q" build sample -o outsample --allow-errors $today >/dev/null || true
bpmns=$(ls "$work"/outsample/*.bpmn | head -n 20 | tr '\n' ' ')
echo "$(ls outsample/*.bpmn | wc -l) procedures built, $(echo $bpmns | wc -w) BPMN files linted"
hyperfine --warmup 1 --runs 5 -i \
  "$q build sample -o outsample --allow-errors $today >/dev/null" \
  "$q build sample -o outsample --allow-errors --no-docx-diagram $today >/dev/null" \
  "cd $here/tools && node node_modules/bpmnlint/bin/bpmnlint.js $bpmns >/dev/null" \
  --export-markdown lint.md
cat lint.md

echo "== a 300-step procedure: every artefact"
rm -rf outlong; "$q" build long300 -o outlong --allow-errors $today >/dev/null || true
hyperfine --warmup 2 --runs 10 -i "$q build long300 -o outlong --allow-errors $today >/dev/null" \
  "$q build long300 -o outlong --allow-errors --no-docx-diagram $today >/dev/null" \
  "dot -Tsvg outlong/dai_300.dot >/dev/null" --export-markdown long.md
cat long.md
rm -rf built out1000
