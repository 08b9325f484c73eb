#!/usr/bin/env python3
"""Hand-made deviations on a simulated log, for the sample of `quytrinh audit`.

    quytrinh simulate ../../processes/ubnd-quan-1/ho-kinh-doanh.proc --dossiers 300 \
        --seed 2024 --log sim.csv --log-start 2024-01-15
    python3 deviations.py sim.csv ho-kinh-doanh.csv

- an extra step: six dossiers go to "Xin ý kiến Chi cục Thuế", a step the approved
  procedure does not have, which takes a day;
- a skipped review: ten dossiers skip "Phó Trưởng phòng xem xét";
- late over Tết: the dossiers received on 5–7 February 2024, just before the Tết holiday
  (8–14 February), lie two more days on a desk after it.
"""

import csv
import sys
from datetime import datetime, timedelta

src, out = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(src, encoding="utf-8")))
fields = list(rows[0].keys())
by_case = {}
for r in rows:
    by_case.setdefault(r["case:concept:name"], []).append(r)

def t(r):
    return datetime.fromisoformat(r["time:timestamp"])

def put(r, when):
    r["time:timestamp"] = when.isoformat()

cases = sorted(by_case)
REVIEW = "Phó Trưởng phòng xem xét"
APPRAISE = "Kiểm tra tính hợp lệ, tên hộ kinh doanh, ngành nghề"
extra, skipped = [], []
for case in cases:
    events = by_case[case]
    names = [e["concept:name"] for e in events]
    if REVIEW not in names:
        continue
    if len(extra) < 6 and int(case[-7:]) % 7 == 3:
        # The extra step between the appraisal and the review; what follows is a day later.
        done = max(t(e) for e in events if e["concept:name"] == APPRAISE)
        for e in events:
            if t(e) > done or (e["concept:name"] == REVIEW):
                put(e, t(e) + timedelta(days=1))
        for kind, when in (("start", done), ("complete", done + timedelta(days=1))):
            e = dict(events[0])
            e.update({"concept:name": "Xin ý kiến Chi cục Thuế", "lifecycle:transition": kind,
                      "org:resource": "Chuyên viên đăng ký kinh doanh – Phòng Tài chính - Kế hoạch Quận 1"})
            put(e, when)
            events.append(e)
        extra.append(case)
    elif len(skipped) < 10 and int(case[-7:]) % 7 == 5:
        by_case[case] = [e for e in events if e["concept:name"] != REVIEW]
        skipped.append(case)

tet_end = datetime.fromisoformat("2024-02-15T00:00:00+07:00")
late = []
for case in cases:
    events = by_case[case]
    received = datetime.fromisoformat(events[0]["case:startdate"])
    if "2024-02-05" <= received.date().isoformat() <= "2024-02-07":
        for e in events:
            if t(e) >= tet_end:
                put(e, t(e) + timedelta(days=2))
        late.append(case)

result = [e for case in cases for e in sorted(by_case[case], key=t)]
result.sort(key=t)
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=fields)
    w.writeheader()
    w.writerows(result)
print(f"extra step: {len(extra)}, skipped review: {len(skipped)}, received before Tết: {len(late)}")
