import Foundation
import GRDB

/// Removing text past its own retention period (DESIGN §5): a call loses its summary and
/// transcript, a message its body and attachment names; each keeps its row and metadata (dates,
/// numbers, direction, outcome, delivery status) and is marked with when and why its text went.
///
/// Messages keep their row rather than being deleted: a thread's counts and order, an Auto-Send
/// evaluation's trace (every decision stays explainable, DESIGN §6) and a draft's target all refer
/// to it, and a blanked row says "a message was here, its text removed on this date", which a
/// person reading the thread needs to know.
///
/// The purge runs it after the audio, batch by batch in its own transactions (`Purge.run`), so it
/// has the audio's crash guarantees: each batch's rows are either all blanked or untouched, and a
/// later run takes whatever is still due. Blanking fires the full-text triggers, so the search
/// stops finding the text at once; the run's closing transaction then rewrites each index it
/// touched, or that a deletion left owed (`SearchCompaction`), so the words leave the index's
/// stored segments too (SQLite 3.40 has no FTS5 secure-delete), and the checkpoint after it
/// empties the `-wal` file.
enum TextPurge {
    /// Why a row's text is gone.
    enum Reason: String {
        /// Past the workspace's text retention period.
        case retention
        /// A person deleted it (data minimisation).
        case deleted
    }

    /// Count, oldest and newest date of the items whose text is kept and dated in `(after, through]`,
    /// excluding calls whose recording is on legal hold (their text stays with the audio).
    static func windowSQL(_ kind: TextKind) -> String {
        switch kind {
        case .transcripts:
            """
            SELECT COUNT(*), MIN(started_at), MAX(started_at) FROM calls INDEXED BY calls_text_kept
            WHERE text_removed_at IS NULL AND started_at > ? AND started_at <= ?
            AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = calls.id AND r.legal_hold = 1)
            """
        case .messages:
            """
            SELECT COUNT(*), MIN(sent_at), MAX(sent_at) FROM messages INDEXED BY messages_text_kept
            WHERE text_removed_at IS NULL AND sent_at > ? AND sent_at <= ?
            """
        }
    }

    /// Ids of the items whose text is due at `nowSeconds` under `period`, in storage order.
    static func due(_ db: Database, kind: TextKind, period: TextRetentionPeriod, nowSeconds: Int64) throws -> [Int64] {
        let cutoff = nowSeconds - period.seconds
        let ids: [Int64]
        switch kind {
        case .transcripts:
            ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM calls INDEXED BY calls_text_kept WHERE text_removed_at IS NULL AND started_at <= ?
                AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = calls.id AND r.legal_hold = 1)
                """, arguments: [cutoff])
        case .messages:
            ids = try Int64.fetchAll(db, sql: """
                SELECT id FROM messages INDEXED BY messages_text_kept WHERE text_removed_at IS NULL AND sent_at <= ?
                """, arguments: [cutoff])
        }
        return ids.sorted()
    }

    /// Blanks the text of those of `ids` still due (checked again inside the transaction: a hold
    /// placed since the run began wins); returns how many rows it changed.
    static func removeBatch(_ db: Database, kind: TextKind, ids: ArraySlice<Int64>, cutoff: Int64, nowSeconds: Int64) throws -> Int {
        let json = "[" + ids.map(String.init).joined(separator: ",") + "]"
        switch kind {
        case .transcripts:
            try db.execute(sql: """
                UPDATE calls SET summary = '', transcript = '', transcript_timing = '', text_removed = ?, text_removed_at = ?
                WHERE id IN (SELECT value FROM json_each(?)) AND text_removed_at IS NULL AND started_at <= ?
                AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.call_id = calls.id AND r.legal_hold = 1)
                """, arguments: [Reason.retention.rawValue, nowSeconds, json, cutoff])
        case .messages:
            try db.execute(sql: """
                UPDATE messages SET body = '', attachments = NULL, text_removed = ?, text_removed_at = ?
                WHERE id IN (SELECT value FROM json_each(?)) AND text_removed_at IS NULL AND sent_at <= ?
                """, arguments: [Reason.retention.rawValue, nowSeconds, json, cutoff])
            let removed = db.changesCount
            try removeCopies(ofMessages: json, db)
            try blankSubjects(ofMessages: json, db)
            return removed
        }
        return db.changesCount
    }

    /// An automatic message's text is also in the draft it was sent from and its outbox row:
    /// removed with the message's, so no copy outlives it.
    static func removeCopies(ofMessages json: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE drafts SET body = '' WHERE id IN (SELECT draft_id FROM autosend_outbox
                WHERE state = 'sent' AND message_id IN (SELECT value FROM json_each(?)))
            """, arguments: [json])
        try db.execute(sql: "UPDATE autosend_outbox SET body = '' WHERE state = 'sent' AND message_id IN (SELECT value FROM json_each(?))",
                       arguments: [json])
    }

    /// A thread's subject is text like its messages' bodies (an email's subject line): blanked once
    /// no message of the thread keeps its text, by retention or by deletion.
    static func blankSubjects(ofMessages json: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE threads SET subject = '' WHERE subject <> ''
            AND id IN (SELECT thread_id FROM messages WHERE id IN (SELECT value FROM json_each(?)))
            AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.thread_id = threads.id AND m.text_removed_at IS NULL)
            """, arguments: [json])
    }

    /// The full-text index holding text of `kind`.
    static func index(_ kind: TextKind) -> SearchCompaction.Index {
        switch kind {
        case .transcripts: .calls
        case .messages: .messages
        }
    }

    /// Migration text-retention: the message period beside the transcripts' (which v1 already had),
    /// where each row's text went and why, the purge run's text counts, and the indexes that find
    /// the text still kept by date without reading rows whose text is gone.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE workspace ADD COLUMN message_retention_days INTEGER CHECK (message_retention_days >= 1);
            ALTER TABLE calls ADD COLUMN text_removed TEXT CHECK (text_removed IN ('retention', 'deleted'));
            ALTER TABLE calls ADD COLUMN text_removed_at INTEGER;
            ALTER TABLE messages ADD COLUMN text_removed TEXT CHECK (text_removed IN ('retention', 'deleted'));
            ALTER TABLE messages ADD COLUMN text_removed_at INTEGER;
            ALTER TABLE purge_run ADD COLUMN call_texts INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE purge_run ADD COLUMN message_texts INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX calls_text_kept ON calls(started_at) WHERE text_removed_at IS NULL;
            CREATE INDEX messages_text_kept ON messages(sent_at) WHERE text_removed_at IS NULL;
            """)
    }
}
