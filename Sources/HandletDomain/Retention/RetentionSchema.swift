import GRDB

extension Schema {
    /// Migration v2: what the purge needs to survive `kill -9`, and what makes the retention
    /// screen's figures cheap at a million recordings.
    static func createPurgeJournal(_ db: Database) throws {
        try db.execute(sql: """
        -- Paths committed for deletion: a purge batch nulls the recordings' paths and lists the
        -- files here in one transaction, unlinks them, then deletes these rows. A run that was
        -- killed leaves rows here; the next run unlinks them first. So no row ever points at a
        -- missing file, and no file is left that nothing refers to.
        CREATE TABLE purge_journal (
            id INTEGER PRIMARY KEY,
            recording_id INTEGER NOT NULL,
            file_path TEXT NOT NULL
        );

        -- The run in progress, counted batch by batch in the batches' own transactions, so a run
        -- resumed after a crash reports the crashed run's work in its single audit event.
        CREATE TABLE purge_run (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            started_at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            purged INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            missing_files INTEGER NOT NULL DEFAULT 0,
            batches INTEGER NOT NULL DEFAULT 0,
            interruptions INTEGER NOT NULL DEFAULT 0
        );

        -- Recordings the purge could take (stored, not held) by UTC creation day. The impact
        -- preview of a shorter period sums whole days here and scans only the two partial days
        -- at the ends, instead of counting up to a million index entries.
        CREATE TABLE recording_day_totals (
            day INTEGER PRIMARY KEY,
            recordings INTEGER NOT NULL,
            bytes INTEGER NOT NULL
        );
        INSERT INTO recording_day_totals(day, recordings, bytes)
            SELECT CAST(created_at AS INTEGER) / 86400, COUNT(*), TOTAL(bytes) FROM recordings
            WHERE purged_at IS NULL AND legal_hold = 0 GROUP BY 1;

        CREATE TRIGGER recordings_day_totals_insert AFTER INSERT ON recordings
        WHEN new.purged_at IS NULL AND new.legal_hold = 0 BEGIN
            INSERT INTO recording_day_totals(day, recordings, bytes)
                VALUES (CAST(new.created_at AS INTEGER) / 86400, 1, new.bytes)
                ON CONFLICT(day) DO UPDATE SET recordings = recordings + 1, bytes = bytes + excluded.bytes;
        END;
        CREATE TRIGGER recordings_day_totals_delete AFTER DELETE ON recordings
        WHEN old.purged_at IS NULL AND old.legal_hold = 0 BEGIN
            UPDATE recording_day_totals SET recordings = recordings - 1, bytes = bytes - old.bytes
                WHERE day = CAST(old.created_at AS INTEGER) / 86400;
        END;
        -- Re-dating touches only expires_at, so it never fires these.
        CREATE TRIGGER recordings_day_totals_leave AFTER UPDATE OF purged_at, legal_hold, created_at, bytes ON recordings
        WHEN old.purged_at IS NULL AND old.legal_hold = 0 BEGIN
            UPDATE recording_day_totals SET recordings = recordings - 1, bytes = bytes - old.bytes
                WHERE day = CAST(old.created_at AS INTEGER) / 86400;
        END;
        CREATE TRIGGER recordings_day_totals_enter AFTER UPDATE OF purged_at, legal_hold, created_at, bytes ON recordings
        WHEN new.purged_at IS NULL AND new.legal_hold = 0 BEGIN
            INSERT INTO recording_day_totals(day, recordings, bytes)
                VALUES (CAST(new.created_at AS INTEGER) / 86400, 1, new.bytes)
                ON CONFLICT(day) DO UPDATE SET recordings = recordings + 1, bytes = bytes + excluded.bytes;
        END;

        -- Covers the preview's boundary-day scans (count, bytes) without touching the table.
        -- SQLite 3.40 still wants the partial index's WHERE columns in the index to call it covering.
        CREATE INDEX recordings_expirable_by_created ON recordings(created_at, bytes, legal_hold, purged_at)
            WHERE purged_at IS NULL AND legal_hold = 0;
        -- Covers the overview's "due now" and "expiring within 7 days" counts and bytes.
        CREATE INDEX recordings_due_bytes ON recordings(expires_at, bytes, legal_hold, purged_at)
            WHERE purged_at IS NULL AND legal_hold = 0;
        CREATE INDEX recordings_held ON recordings(held_at) WHERE legal_hold = 1 AND purged_at IS NULL;

        -- Every hold and its release, with both reasons. Reasons are free text that may name
        -- people, so they live here (erasable) and never in the audit log.
        CREATE TABLE legal_hold_history (
            id INTEGER PRIMARY KEY,
            recording_id INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
            placed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            placed_at INTEGER NOT NULL,
            reason TEXT NOT NULL,
            released_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            released_at INTEGER,
            release_reason TEXT
        );
        CREATE INDEX legal_hold_history_by_recording ON legal_hold_history(recording_id, placed_at);
        """)
    }

    /// Migration v5: two v1 indexes that wider v2 indexes made redundant. Every purged recording
    /// paid to leave each of them; `recordings_due_bytes` answers whatever `recordings_due` did,
    /// and nothing reads live recordings by creation time except through
    /// `recordings_expirable_by_created`.
    static func dropRedundantIndexes(_ db: Database) throws {
        try db.execute(sql: """
            DROP INDEX recordings_due;
            DROP INDEX recordings_live_by_created;
            """)
    }

    /// Migration v7: journal ids that never repeat. The purge forgets journal rows "up to the
    /// last id whose file is gone" while the next batch commits; with plain rowids an emptied
    /// journal numbered again from 1, so a batch's fresh rows could fall under an older batch's
    /// mark and be forgotten before their files were unlinked (a kill then left orphan files).
    static func monotonicPurgeJournal(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE purge_journal_v7 (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                recording_id INTEGER NOT NULL,
                file_path TEXT NOT NULL
            );
            INSERT INTO purge_journal_v7(id, recording_id, file_path) SELECT id, recording_id, file_path FROM purge_journal;
            DROP TABLE purge_journal;
            ALTER TABLE purge_journal_v7 RENAME TO purge_journal;
            """)
    }
}
