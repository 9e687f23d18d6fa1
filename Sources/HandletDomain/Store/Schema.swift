import GRDB

/// The workspace schema as numbered migrations. A migration is never edited once it has shipped:
/// schema changes append a new one. `PRAGMA user_version` mirrors the number of migrations applied,
/// so a database from a newer handlet can be refused before anything touches it.
public enum Schema {
    /// Migrations in order; the index + 1 is the schema version they produce.
    ///
    /// `immediateForeignKeys`: the migration runs with foreign keys enforced as it goes instead of
    /// GRDB's default, a whole-database `foreign_key_check` before commit, which takes seconds per
    /// migration at a million calls (v5–v7 took 23 s to open a 1M-call workspace). Right for any
    /// migration that does not rebuild a table other tables reference, or that references others.
    static let migrations: [(identifier: String, immediateForeignKeys: Bool, migrate: @Sendable (Database) throws -> Void)] = [
        ("v1-records", false, createRecords),
        ("v2-purge-journal", false, createPurgeJournal),
        // Written as v2 on the browsing branch; the lead ordered it after the purge journal.
        ("v3-browse-indexes", false, BrowseIndexes.create),
        ("v4-record-counts", false, RecordCounts.create),
        ("v5-purge-indexes", true, dropRedundantIndexes),
        ("v6-search-id-spans", true, SearchIdSpans.create),
        // purge_journal has no foreign keys and nothing references it.
        ("v7-purge-journal-ids", true, monotonicPurgeJournal),
        // Indexes only, on a table nothing references.
        ("v8-audit-indexes", true, AuditIndexes.create),
        // Issue 13. Neither rebuilds a table; both only add columns, tables and indexes.
        ("notices-v1-import", true, noticesImport),
        ("compliance-v1-duties", true, complianceDuties),
        // New tables only, nothing references them.
        ("autosend-settings", true, createAutoSendSettings),
        // New tables that reference drafts and messages; nothing references them.
        ("autosend-evaluations", true, createAutoSendEvaluations),
        // Edits two lines of the schema and adds two views: no row is touched.
        ("search-text-nul-visible", true, searchTextShowsNUL),
        // Adds one nullable column; no row is touched.
        ("autosend-approvals", true, addEvaluationApprovals),
        // Issue 23. Adds nullable columns, new tables and indexes; no row is touched.
        ("dsr-register", true, dataSubjectRegister),
        // Issue 23: adds columns and two partial indexes; rebuilds no table.
        ("text-retention", true, TextPurge.migrate),
        // Issue 24. New tables only, nothing references them.
        ("import-keys", true, ImportKeys.create),
        // Adds one column to notices, a few dozen rows at most.
        ("notices-text-hash", true, noticesTextHash),
        // Two indexes (one partial, over auto-sent messages only); no row is touched.
        ("autosend-preview-indexes", true, addPreviewIndexes),
        // Four partial indexes over calls and messages no contact holds; no row is touched.
        ("unlinked-number-indexes", true, addUnlinkedNumberIndexes),
        // Issue 25. Two indexes over calls' numbers (replacing the two partial ones); no row is touched.
        ("call-number-indexes", true, ContactSearch.callNumberIndexes),
        // Issue 25. A new full-text table over contacts (built once) and an index; no row is touched.
        ("contact-search", true, ContactSearch.migrate),
        // Issue 25: one index over calls, so the list sorted by length pages at any depth; no row is touched.
        ("list-sort-indexes", true, CallSort.createIndexes),
        // Issue 23: the full-text indexes owed a compaction (deleting one item's text records it;
        // the next purge pays it), and reviews attributed to a person's contact. Two new tables.
        ("dsr-fts-compaction-owed", true, SearchCompaction.migrate),
        ("dsr-review-authors", true, ReviewAttribution.migrate),
        // Issue 23: everything held about a person reads their drafts by contact and by target
        // (four scans of the drafts table before); three indexes, no row touched.
        ("dsr-draft-indexes", true, addDataSubjectDraftIndexes),
        // Issue 25: each user's own console preferences (hidden columns), kept across runs.
        ("user-preferences", true, UserPreferences.migrate),
        // Issue 26: calls per quarter hour, kept by triggers, for the Overview's per-day counts.
        // A new table filled from the time index; no row is touched.
        ("call-day-counts", true, CallDayCounts.create),
        // Issue 23: the measured rates of rewriting the search, for the erasure's estimate; one new table.
        ("dsr-search-rewrite-rates", true, SearchRewriteRates.migrate),
        // Issue 25: the contacts' full-text index without the email's domain suffix (co, uk, com),
        // read through a view; rebuilt once from the rows.
        ("contact-search-email-words", true, ContactSearch.indexEmailWithoutDomainSuffix),
        // Issue 23, session 12: a count per full-text index of its rebuilds, for the erasure's swap check; one new table.
        ("dsr-fts-index-generations", true, SearchCompaction.migrateGenerations),
    ]

    public static var currentVersion: Int { migrations.count }

    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (index, migration) in migrations.enumerated() {
            let version = index + 1
            migrator.registerMigration(migration.identifier,
                                       foreignKeyChecks: migration.immediateForeignKeys ? .immediate : .deferred) { db in
                try migration.migrate(db)
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        }
        return migrator
    }

    /// Migration search-text-nul-visible: the full-text tables read their text (for `snippet()` and `highlight()`)
    /// through views that show a NUL as ␀, instead of straight from `calls` and `messages`.
    ///
    /// FTS5 builds those functions' results as C strings, so a NUL in a body cut the snippet short
    /// and dropped the words after it (issue 11). The index is unchanged: a NUL and ␀ are both
    /// word separators to the tokenizer, so every token keeps its position and no rebuild is needed
    /// (a million calls re-indexed would take minutes at open). Only the tables' `content=` option
    /// changes, which FTS5 reads from the schema when it connects; SQLite has no ALTER for it, so
    /// the schema text is edited as SQLite's documentation describes for changes that leave the
    /// stored format alone (writable_schema, then a new schema_version so every connection reloads).
    private static func searchTextShowsNUL(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIEW call_fts_text AS
                SELECT id, \(TextWithNUL.visibleNUL("summary")) AS summary,
                       \(TextWithNUL.visibleNUL("transcript")) AS transcript FROM calls;
            CREATE VIEW message_fts_text AS
                SELECT id, \(TextWithNUL.visibleNUL("body")) AS body FROM messages;
            """)
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for (table, from, to) in [("call_fts", "calls", "call_fts_text"), ("message_fts", "messages", "message_fts_text")] {
            try db.execute(sql: """
                UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0
                """, arguments: ["content='\(from)'", "content='\(to)'", table, "content='\(from)'"])
            guard db.changesCount == 1 else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "\(table) is not the full-text table the search-text-nul-visible migration expects")
            }
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    // Times are whole seconds since 1970 (INTEGER): compact, and keyset pagination compares integers.
    private static func createRecords(_ db: Database) throws {
        try db.execute(sql: """
        CREATE TABLE workspace (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            business_name TEXT NOT NULL,
            business_phone TEXT,
            business_email TEXT,
            business_address TEXT,
            time_zone TEXT NOT NULL DEFAULT 'Europe/London',
            is_demo INTEGER NOT NULL DEFAULT 0,
            demo_seed INTEGER,
            recording_enabled INTEGER NOT NULL DEFAULT 1,
            retention_days INTEGER NOT NULL DEFAULT 30 CHECK (retention_days BETWEEN 1 AND 730),
            -- NULL keeps call metadata, summaries and transcripts until deleted; separate from audio.
            transcript_retention_days INTEGER CHECK (transcript_retention_days >= 1),
            created_at INTEGER NOT NULL
        );

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'agent', 'viewer')),
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            phone TEXT,                 -- E.164
            email TEXT,
            opted_out_at INTEGER,
            opt_out_keyword TEXT,
            restricted_at INTEGER,      -- data-subject restriction of processing
            restriction_reason TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX contacts_by_name ON contacts(name COLLATE NOCASE, id);
        CREATE INDEX contacts_by_phone ON contacts(phone);
        CREATE INDEX contacts_by_email ON contacts(email COLLATE NOCASE);

        CREATE TABLE marketing_consents (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat')),
            given_at INTEGER NOT NULL,
            method TEXT NOT NULL,
            withdrawn_at INTEGER,
            UNIQUE (contact_id, channel)
        );

        CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            external_id TEXT NOT NULL UNIQUE,
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            from_number TEXT NOT NULL,
            to_number TEXT NOT NULL,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            started_at INTEGER NOT NULL,
            duration_seconds INTEGER NOT NULL CHECK (duration_seconds >= 0),
            handled_by TEXT NOT NULL CHECK (handled_by IN ('ai_agent', 'staff', 'voicemail')),
            staff_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('booked_job', 'quote_requested', 'message_taken',
                'callback_requested', 'spam', 'missed', 'abandoned')),
            summary TEXT NOT NULL DEFAULT '',
            -- One speaker turn per line, words only: exactly what full-text search indexes.
            transcript TEXT NOT NULL DEFAULT '',
            -- Per transcript line, "SPEAKER OFFSET_MS" (C caller, A AI agent, S staff, V voicemail).
            transcript_timing TEXT NOT NULL DEFAULT '',
            job_details TEXT,           -- JSON: job or quote details
            recording_state TEXT NOT NULL CHECK (recording_state IN
                ('recorded', 'not_recorded', 'recording_disabled', 'purged')),
            recording_purged_at INTEGER
        );
        CREATE INDEX calls_by_time ON calls(started_at, id);
        CREATE INDEX calls_by_outcome ON calls(outcome, started_at, id);
        CREATE INDEX calls_by_contact ON calls(contact_id, started_at, id);

        CREATE TABLE recordings (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL UNIQUE REFERENCES calls(id) ON DELETE CASCADE,
            file_path TEXT,             -- relative to the workspace's audio folder; NULL once purged
            bytes INTEGER NOT NULL,
            duration_ms INTEGER NOT NULL,
            sha256 TEXT,                -- NULL once purged
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            legal_hold INTEGER NOT NULL DEFAULT 0,
            hold_reason TEXT,
            held_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            held_at INTEGER,
            purged_at INTEGER,
            purge_note TEXT             -- e.g. the file was already missing when the purge came
        );
        CREATE INDEX recordings_due ON recordings(expires_at) WHERE purged_at IS NULL AND legal_hold = 0;
        CREATE INDEX recordings_live_by_created ON recordings(created_at) WHERE purged_at IS NULL;

        CREATE TABLE threads (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat')),
            subject TEXT,
            last_activity_at INTEGER NOT NULL,
            unread_count INTEGER NOT NULL DEFAULT 0,
            message_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX threads_by_activity ON threads(last_activity_at, id);
        CREATE INDEX threads_by_contact ON threads(contact_id, last_activity_at);

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
            channel TEXT NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat')),
            direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
            from_address TEXT NOT NULL,
            to_address TEXT NOT NULL,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            sent_at INTEGER NOT NULL,
            delivery_status TEXT NOT NULL CHECK (delivery_status IN
                ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
            attachments TEXT,           -- JSON array of {"name": ..., "bytes": ...}
            auto_sent INTEGER NOT NULL DEFAULT 0,
            correlation_id TEXT
        );
        CREATE INDEX messages_by_thread ON messages(thread_id, sent_at, id);
        CREATE INDEX messages_by_time ON messages(sent_at, id);
        CREATE INDEX messages_by_contact ON messages(contact_id, sent_at, id);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            author TEXT NOT NULL,
            stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
            text TEXT NOT NULL,
            posted_at INTEGER NOT NULL,
            reply_text TEXT,
            replied_at INTEGER
        );

        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('message', 'call', 'review')),
            target_id INTEGER NOT NULL,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            channel TEXT CHECK (channel IN ('sms', 'whatsapp', 'email', 'webchat', 'review')),
            intent TEXT NOT NULL CHECK (intent IN ('follow_up', 'quote_request', 'booking_request',
                'new_lead', 'general_enquiry', 'review_reply', 'complaint',
                'unknown', 'noise', 'risk', 'unsupported')),
            confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
            body TEXT NOT NULL,
            firm_price_available INTEGER NOT NULL DEFAULT 0,
            booking_fields_complete INTEGER NOT NULL DEFAULT 0,
            complaint_severity TEXT CHECK (complaint_severity IN ('low', 'medium', 'high')),
            review_stars INTEGER CHECK (review_stars BETWEEN 1 AND 5),
            is_marketing INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN
                ('waiting', 'approved', 'edited', 'discarded', 'auto_sent', 'blocked')),
            validation TEXT CHECK (validation IN ('correct', 'incorrect', 'not_now')),
            validated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            validated_at INTEGER,
            correlation_id TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX drafts_by_state ON drafts(state, created_at, id);
        CREATE INDEX drafts_by_intent ON drafts(intent, state);

        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            notice_key TEXT NOT NULL,   -- stable id across versions, from the file header
            kind TEXT NOT NULL CHECK (kind IN ('dpa', 'privacy_notice', 'subprocessor_list',
                'subprocessor_change', 'breach_notification', 'policy_update', 'retention_table')),
            title TEXT NOT NULL,
            version TEXT NOT NULL,
            effective_at INTEGER NOT NULL,
            body TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            needs_acknowledgement INTEGER NOT NULL DEFAULT 0,
            objection_deadline INTEGER,
            published_at INTEGER NOT NULL,
            read_at INTEGER,
            UNIQUE (notice_key, version)
        );

        CREATE TABLE notice_responses (
            id INTEGER PRIMARY KEY,
            notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE RESTRICT,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            response TEXT NOT NULL CHECK (response IN ('acknowledged', 'objected')),
            version TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            reason TEXT,
            responded_at INTEGER NOT NULL
        );
        CREATE INDEX notice_responses_by_notice ON notice_responses(notice_id);

        CREATE TABLE data_subject_requests (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            type TEXT NOT NULL CHECK (type IN ('access', 'rectification', 'erasure', 'restriction',
                'portability', 'objection')),
            received_at INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'completed', 'refused')),
            completed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
            completed_at INTEGER,
            notes TEXT
        );
        CREATE INDEX dsr_by_due ON data_subject_requests(status, due_at);

        -- Append-only hash chain. Details carry identifiers, never personal content, so erasure
        -- and purge never need to rewrite history.
        CREATE TABLE audit_events (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}',
            previous_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX audit_by_action ON audit_events(action, seq);
        CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
        CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
            BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

        -- Full-text search. External content: the text lives once, in calls and messages.
        CREATE VIRTUAL TABLE call_fts USING fts5(
            summary, transcript, content='calls', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER calls_fts_insert AFTER INSERT ON calls BEGIN
            INSERT INTO call_fts(rowid, summary, transcript) VALUES (new.id, new.summary, new.transcript);
        END;
        CREATE TRIGGER calls_fts_delete AFTER DELETE ON calls BEGIN
            INSERT INTO call_fts(call_fts, rowid, summary, transcript)
                VALUES ('delete', old.id, old.summary, old.transcript);
        END;
        -- Only text changes touch the index: a purge updating recording_state must stay cheap.
        CREATE TRIGGER calls_fts_update AFTER UPDATE OF summary, transcript ON calls BEGIN
            INSERT INTO call_fts(call_fts, rowid, summary, transcript)
                VALUES ('delete', old.id, old.summary, old.transcript);
            INSERT INTO call_fts(rowid, summary, transcript) VALUES (new.id, new.summary, new.transcript);
        END;

        CREATE VIRTUAL TABLE message_fts USING fts5(
            body, content='messages', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_fts(rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
            INSERT INTO message_fts(message_fts, rowid, body) VALUES ('delete', old.id, old.body);
            INSERT INTO message_fts(rowid, body) VALUES (new.id, new.body);
        END;
        """)
    }
}
