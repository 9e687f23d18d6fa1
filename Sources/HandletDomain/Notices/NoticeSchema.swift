import GRDB

extension Schema {
    /// Migration `notices-text-hash` (issue 28): each notice's title, version and body hashed as
    /// stored now, so a later change made to them in the database shows as tampering on every read.
    static func noticesTextHash(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE notices ADD COLUMN text_sha256 TEXT")
        for row in try Row.fetchAll(db, sql: "SELECT id, title, version, body FROM notices") {
            try db.execute(sql: "UPDATE notices SET text_sha256 = ? WHERE id = ?",
                           arguments: [Notice.textHash(title: row[1], version: row[2], body: row[3]), row[0] as Int64])
        }
    }

    /// Migration `notices-v1-import`: what an imported notice file carries beyond v1's columns:
    /// its source file, and a breach notification's Art. 33(3) particulars (JSON). A subprocessor
    /// change's `objection_deadline` is stored resolved (the stated date, else 30 days from
    /// publication), so every reader agrees on when the window closes.
    static func noticesImport(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE notices ADD COLUMN source TEXT;
            ALTER TABLE notices ADD COLUMN breach TEXT;
            UPDATE notices SET objection_deadline = published_at + 30 * 86400
                WHERE kind = 'subprocessor_change' AND objection_deadline IS NULL;
            CREATE INDEX notice_responses_by_version ON notice_responses(notice_id, version);
            """)
    }

    /// Migration `compliance-v1-duties`: what the compliance centre computes the business's own
    /// duties from: the lawful basis per processing purpose, the caller notice, and which messages
    /// were marketing (a partial index: only those rows). Sign-ins are the audit log's
    /// `console.session_started` events.
    static func complianceDuties(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE lawful_bases (
                purpose TEXT PRIMARY KEY CHECK (purpose IN ('call_handling', 'call_recording', 'messaging', 'marketing')),
                basis TEXT NOT NULL CHECK (basis IN ('consent', 'contract', 'legal_obligation', 'vital_interests',
                    'public_task', 'legitimate_interests')),
                recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
                recorded_at INTEGER NOT NULL
            );
            ALTER TABLE workspace ADD COLUMN caller_notice TEXT;
            ALTER TABLE workspace ADD COLUMN caller_notice_at INTEGER;
            ALTER TABLE messages ADD COLUMN is_marketing INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX messages_marketing ON messages(sent_at) WHERE is_marketing = 1;
            """)
    }
}
