#!/usr/bin/env bash
# The figures of BENCHMARKS.md on how `build` writes its files, two binaries side by side:
#   benches/writes.sh BEFORE AFTER [ROUNDS] [WORKDIR]
# builds the 1,000-procedure corpus with each binary in turn, ROUNDS times (7 by default):
# into a new folder, then again into that folder (which then holds a build), and prints the
# medians of wall, user and system time; then counts the system calls of one build of each
# (strace -c -f). Needs python3, strace, and the generator of the corpus (GEN=folder holding
# gen_corpus.py; ../shared/bench by default).
#
# Every build into a new folder gets a name of its own and the folders are removed only at
# the end: on ext4 without a journal, a file made within minutes of `rm -rf` of thousands of
# others waits while the allocator looks past their inodes (BENCHMARKS.md, issue 18, fifth
# part), which would measure the file system, not the build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
before=$(realpath "$1")
after=$(realpath "$2")
rounds=${3:-7}
gen=${GEN:-$here/../shared/bench}
work=${4:-$(mktemp -d)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
cd "$work"
[ -d c1000 ] || python3 "$gen/gen_corpus.py" c1000 --procedures 1000 >/dev/null
mkdir -p built
timed() { { /usr/bin/time -f '%e %U %S' "$@"; } 2>&1 | tail -n 1; }

: >times.txt
for r in $(seq "$rounds"); do
  for side in before after; do
    q=${!side}
    out=built/$side-$r-$RANDOM
    echo "$side new $(timed "$q" build c1000 -o "$out" --allow-errors --today=2025-11-01)" >>times.txt
    echo "$side existing $(timed "$q" build c1000 -o "$out" --allow-errors --today=2025-11-01)" >>times.txt
  done
done
python3 - <<'EOF'
import statistics
rows = {}
for line in open("times.txt"):
    side, where, *t = line.split()
    rows.setdefault((where, side), []).append([float(x) for x in t[-3:]])
for (where, side), v in sorted(rows.items(), key=lambda kv: (kv[0][0] != "new", kv[0][1] != "before")):
    wall, user, sys = (statistics.median(x[i] for x in v) for i in range(3))
    us = statistics.median(x[1] + x[2] for x in v)
    print(f"{where:8} folder, {side:6}: {wall:.2f} s wall, {user:.2f} s user, {sys:.2f} s system, {us:.2f} s user+system (medians of {len(v)})")
EOF

for side in before after; do
  q=${!side}
  out=built/strace-$side-$RANDOM
  strace -f -c -o "strace-$side-new.txt" "$q" build c1000 -o "$out" --allow-errors --today=2025-11-01 >/dev/null || true
  strace -f -c -o "strace-$side-existing.txt" "$q" build c1000 -o "$out" --allow-errors --today=2025-11-01 >/dev/null || true
  for where in new existing; do
    echo "$side, $where folder: $(awk '/total/ {print $4}' "strace-$side-$where.txt") system calls; $(awk '$NF ~ /^(statx|readlink|getpid|openat|write|sync_file_range|close|rename|renameat2)$/ {printf "%s %s, ", $NF, $4}' "strace-$side-$where.txt")"
  done
done
diff -r "$(ls -d built/before-1-*)" "$(ls -d built/after-1-*)" >/dev/null && echo "outputs identical (diff -r)"
rm -rf built
