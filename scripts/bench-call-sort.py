#!/usr/bin/env python3
"""The calls list's next-page read, sorted by length, by outcome and newest first, after a cursor at
depths 1,000 to 900,000: timings and query plans, read only.

    python3 scripts/bench-call-sort.py WORKSPACE.sqlite
"""
import sqlite3, sys, time
c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
sel = """SELECT calls.id, calls.external_id, calls.started_at, contacts.name, calls.direction, calls.duration_seconds, calls.handled_by,
 calls.outcome, calls.recording_state, calls.summary, recordings.expires_at, recordings.legal_hold
 FROM calls LEFT JOIN contacts ON contacts.id = calls.contact_id LEFT JOIN recordings ON recordings.call_id = calls.id"""
for name, key in (("length", "calls.duration_seconds"), ("outcome", "calls.outcome"), ("newest first", None)):
    keys = ([key] if key else []) + ["calls.started_at", "calls.id"]
    for order, op in (("DESC", "<"), ("ASC", ">")):
        ob = ", ".join(f"{k} {order}" for k in keys)
        plan = c.execute(f"EXPLAIN QUERY PLAN {sel} WHERE ({', '.join(keys)}) {op} ({', '.join('?' * len(keys))}) ORDER BY {ob} LIMIT 56",
                         [0] * len(keys)).fetchall()
        # Cursors at depths 1,000 / 100,000 / 500,000 / 900,000 (read once, off the clock).
        times = []
        for depth in (1000, 100000, 500000, 900000):
            cur = c.execute(f"SELECT {', '.join(keys)} FROM calls ORDER BY {ob} LIMIT 1 OFFSET {depth}").fetchone()
            for _ in range(20):
                t = time.perf_counter()
                rows = c.execute(f"{sel} WHERE ({', '.join(keys)}) {op} ({', '.join('?' * len(keys))}) ORDER BY {ob} LIMIT 56", cur).fetchall()
                times.append((time.perf_counter() - t) * 1000)
                assert len(rows) == 56
        times.sort()
        print(f"{name:>12} {order}: next page at depths 1k-900k, n={len(times)}: p50 {times[len(times)//2]:.2f} ms, p99 {times[int(len(times)*0.99)-1]:.2f} ms; plan: {' / '.join(r[3] for r in plan)}")
