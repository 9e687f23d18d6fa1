#!/usr/bin/env python3
"""Bulk-fills an empty handlet workspace for the browsing benchmark.

Used only until `handlet demo --calls N --messages M` is available: rows are inserted with the FTS
triggers set aside, then both FTS indexes are rebuilt in one go (DESIGN §9) and the triggers put
back exactly as the schema wrote them. Deterministic (seeded); the text is varied enough that
common and rare words both exist.

usage: bench-browse-load.py DB CALLS MESSAGES
"""
import random
import sqlite3
import sys
import time

db_path, calls, messages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(42)
NOW = int(time.time())
DAY = 86_400
SPAN_DAYS = 730

first = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Sophia", "Lily", "Freya", "Jack", "Oliver",
         "Harry", "George", "Noah", "Leo", "Arthur", "Oscar", "Charlie", "Priya", "Mohammed", "Aisha", "Sean"]
last = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Khan", "Murphy"]
jobs = ["boiler", "radiator", "leak", "tap", "toilet", "shower", "cylinder", "immersion", "thermostat",
        "fuse", "socket", "rewire", "consumer unit", "extractor", "drain", "gutter", "sink", "valve",
        "pipe", "heating", "pressure", "combi", "flue", "meter", "cooker", "dishwasher", "washing machine"]
towns = ["Leeds", "Bristol", "Croydon", "Reading", "Sheffield", "Bath", "Harrogate", "Exeter", "Derby", "York"]
filler = ("the and a to of in is it that for you with on this we can be at your have will not are "
          "please thanks call back today tomorrow morning afternoon quote price visit engineer "
          "booked address postcode number available week next time job urgent water hot cold "
          "working broken noise smell replace repair service annual check").split()

def words(count):
    return " ".join(rng.choice(filler) for _ in range(count))

def text(count):
    parts = words(count).split()
    for _ in range(3):
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(jobs))
    parts.insert(rng.randrange(len(parts) + 1), rng.choice(towns))
    return " ".join(parts)

con = sqlite3.connect(db_path, isolation_level=None)
con.execute("PRAGMA journal_mode=WAL")
con.execute("PRAGMA synchronous=OFF")
triggers = con.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND name LIKE '%fts%'").fetchall()
con.execute("BEGIN")
for name, _ in triggers:
    con.execute(f"DROP TRIGGER {name}")

contacts = max(100, calls // 20)
con.executemany("INSERT INTO contacts(id, name, phone, email, opted_out_at, created_at) VALUES (?,?,?,?,?,?)",
                ((i, f"{rng.choice(first)} {rng.choice(last)}", f"+4477009{i:05d}", None,
                  NOW - DAY if i % 50 == 0 else None, NOW - SPAN_DAYS * DAY) for i in range(1, contacts + 1)))

outcomes = ["booked_job"] * 30 + ["quote_requested"] * 20 + ["message_taken"] * 15 + \
           ["callback_requested"] * 12 + ["spam"] * 5 + ["missed"] * 12 + ["abandoned"] * 6
handlers = ["ai_agent"] * 80 + ["staff"] * 12 + ["voicemail"] * 8

def call_rows():
    for i in range(1, calls + 1):
        started = NOW - SPAN_DAYS * DAY + (SPAN_DAYS * DAY * i) // calls
        recorded = NOW - started < 30 * DAY
        turns = [text(10) for _ in range(6)]
        yield (i, f"CA{i:09d}", "inbound" if i % 7 else "outbound", f"+4477009{i % contacts:05d}",
               "+441632960000", rng.randrange(1, contacts + 1) if i % 5 else None, started,
               rng.randrange(10, 900), rng.choice(handlers), rng.choice(outcomes), text(18),
               "\n".join(turns), "\n".join(f"{'CA'[k % 2]} {k * 7000}" for k in range(6)),
               "recorded" if recorded else "purged")

con.executemany("""INSERT INTO calls(id, external_id, direction, from_number, to_number, contact_id, started_at,
                   duration_seconds, handled_by, outcome, summary, transcript, transcript_timing, recording_state)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", call_rows())
con.execute("""INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at)
               SELECT id, 'audio/' || external_id || '.wav', duration_seconds * 16000, duration_seconds * 1000,
                      hex(randomblob(32)), started_at, started_at + 30 * 86400
               FROM calls WHERE recording_state = 'recorded'""")

threads = max(1, messages // 5)
channels = ["sms", "whatsapp", "email", "webchat"]
con.executemany("INSERT INTO threads(id, contact_id, channel, last_activity_at, unread_count, message_count) VALUES (?,?,?,?,?,?)",
                ((t, rng.randrange(1, contacts + 1), channels[t % 4], 0, t % 3, 0) for t in range(1, threads + 1)))

def message_rows():
    for i in range(1, messages + 1):
        thread = (i - 1) // 5 + 1
        sent = NOW - SPAN_DAYS * DAY + (SPAN_DAYS * DAY * i) // messages
        inbound = i % 2 == 1
        yield (i, thread, channels[thread % 4], "inbound" if inbound else "outbound",
               "+447700900123" if inbound else "+441632960000", "+441632960000" if inbound else "+447700900123",
               text(14), sent, "received" if inbound else "delivered", 0 if inbound or i % 3 else 1)

con.executemany("""INSERT INTO messages(id, thread_id, channel, direction, from_address, to_address, body, sent_at,
                   delivery_status, auto_sent) VALUES (?,?,?,?,?,?,?,?,?,?)""", message_rows())
con.execute("""UPDATE messages SET contact_id = (SELECT contact_id FROM threads WHERE threads.id = messages.thread_id)""")
con.execute("""UPDATE threads SET (last_activity_at, message_count) =
               (SELECT max(sent_at), count(*) FROM messages WHERE thread_id = threads.id)""")
con.execute("INSERT INTO call_fts(call_fts) VALUES ('rebuild')")
con.execute("INSERT INTO message_fts(message_fts) VALUES ('rebuild')")
for _, sql in triggers:
    con.execute(sql)
con.execute("COMMIT")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"loaded {calls} calls, {messages} messages, {contacts} contacts, {threads} threads")
