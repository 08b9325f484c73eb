#!/usr/bin/env python3
"""Benchmark of `quytrinh audit` on a large dossier log, side by side with pm4py.

    python3 benches/audit_log.py make 1000000 /tmp/audit-1m.csv      # ~10 M events, ~1 GB
    /usr/bin/time -v target/release/quytrinh audit /tmp/audit-1m.csv --calendar 24x7 --format json -o /tmp/audit.json
    /tmp/pm4py/bin/python benches/audit_log.py pm4py /tmp/audit-1m.csv /tmp/pm4py.json
    python3 benches/audit_log.py compare /tmp/audit.json /tmp/pm4py.json

`make` writes a log in the process-mining columns (case, activity, ISO 8601 time with
offset, resource), one dossier after another, with the paths of a one-stop procedure: a
supplement loop, a skipped review, a refusal. `pm4py` computes with pm4py the figures the
audit gives for a log alone (dossiers, case durations p50/p90 nearest-rank, variants and their
counts, events). `compare` checks that both agree.
"""

import json
import math
import random
import sys
import time
from datetime import datetime, timedelta, timezone

ACTIVITIES = [
    "Tiếp nhận hồ sơ",           # 0
    "Chuyển hồ sơ",              # 1
    "Thẩm định hồ sơ",           # 2
    "Yêu cầu bổ sung",           # 3
    "Công dân bổ sung hồ sơ",    # 4
    "Phó Trưởng phòng xem xét",  # 5
    "Trưởng phòng xem xét",      # 6
    "Lãnh đạo ký",               # 7
    "Vào sổ, đóng dấu",          # 8
    "Trả kết quả",               # 9
    "Từ chối, trả hồ sơ",        # 10
    "Phân công thụ lý",          # 11
    "Dự thảo kết quả",           # 12
]


def path(rng):
    """A dossier's activities: ~10 events on average."""
    seq = [0, 1, 11, 2]
    while rng.random() < 0.15:  # supplement loop
        seq += [3, 4, 2]
    if rng.random() < 0.04:
        return seq + [10]
    seq.append(12)
    if rng.random() > 0.1:  # a skipped review now and then
        seq.append(5)
    seq += [6, 7, 8, 9]
    return seq


def make(n, out):
    rng = random.Random(20240101)
    tz = timezone(timedelta(hours=7))
    start = datetime(2024, 1, 2, 7, 30, tzinfo=tz)
    span = 365 * 86400
    events = 0
    with open(out, "w", encoding="utf-8", buffering=1 << 22) as f:
        f.write("case:concept:name,concept:name,time:timestamp,org:resource\n")
        lines = []
        for i in range(n):
            t = start + timedelta(seconds=rng.randrange(span))
            case = f"HS-2024-{i:08d}"
            for a in path(rng):
                t += timedelta(seconds=rng.randrange(600, 4 * 86400))
                lines.append(f"{case},{ACTIVITIES[a]},{t.isoformat()},Cán bộ một cửa CB-{rng.randrange(400):03d}\n")
                events += 1
            if len(lines) > 100000:
                f.write("".join(lines))
                lines.clear()
        f.write("".join(lines))
    print(json.dumps({"dossiers": n, "events": events, "file": out}))


def nearest_rank(sorted_values, p):
    n = len(sorted_values)
    return sorted_values[max(1, math.ceil(p * n)) - 1]


def with_pm4py(log, out):
    import pandas as pd
    import pm4py

    started = time.perf_counter()
    df = pd.read_csv(log, dtype={"case:concept:name": str, "concept:name": str, "org:resource": str})
    df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True, format="ISO8601")
    df = pm4py.format_dataframe(df, case_id="case:concept:name", activity_key="concept:name",
                                timestamp_key="time:timestamp")
    durations = sorted(pm4py.get_all_case_durations(df))
    variants = pm4py.get_variants(df)
    activities = pm4py.get_event_attribute_values(df, "concept:name")
    elapsed = time.perf_counter() - started
    counts = sorted((v if isinstance(v, int) else len(v) for v in variants.values()), reverse=True)
    result = {
        "seconds": elapsed,
        "dossiers": len(durations),
        "events": int(sum(activities.values())),
        "p50_hours": nearest_rank(durations, 0.5) / 3600,
        "p90_hours": nearest_rank(durations, 0.9) / 3600,
        "mean_days": sum(durations) / len(durations) / 86400,
        "variants": len(variants),
        "top_variant_counts": counts[:10],
        "activities": {k: int(v) for k, v in activities.items()},
    }
    with open(out, "w") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    print(json.dumps({k: result[k] for k in ("seconds", "dossiers", "events", "variants")}))


def compare(audit_json, pm4py_json):
    a = json.load(open(audit_json))["audit"]["total"]
    p = json.load(open(pm4py_json))
    checks = {
        "dossiers": (a["dossiers"], p["dossiers"]),
        "p50_hours": (round(a["p50_hours"], 4), round(p["p50_hours"], 4)),
        "p90_hours": (round(a["p90_hours"], 4), round(p["p90_hours"], 4)),
        "avg_days": (round(a["avg_working_days"], 4), round(p["mean_days"], 4)),
        "variants": (a["variants"]["count"], p["variants"]),
        "top_variant_counts": ([v["dossiers"] for v in a["variants"]["top"]], p["top_variant_counts"]),
    }
    ok = True
    for key, (x, y) in checks.items():
        same = x == y
        ok &= same
        print(f"{key:20} audit {x}  pm4py {y}  {'same' if same else 'DIFFERENT'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what == "make":
        make(int(sys.argv[2]), sys.argv[3])
    elif what == "pm4py":
        with_pm4py(sys.argv[2], sys.argv[3])
    elif what == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
