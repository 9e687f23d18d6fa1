import GRDB

/// Writes batches of rows with prepared statements bound through the SQLite C API, inside the
/// caller's transaction (DESIGN §9): the one writer of the bulk-write path.
struct BulkWriter {
    private let db: Database
    private let contact: BulkStatement
    private let consent: BulkStatement
    private let call: BulkStatement
    private let recording: BulkStatement
    private let holdHistory: BulkStatement
    private let thread: BulkStatement
    private let message: BulkStatement
    private let review: BulkStatement
    private let request: BulkStatement

    init(_ db: Database) throws {
        self.db = db
        contact = try BulkStatement(db, sql: """
            INSERT INTO contacts (id, name, phone, email, opted_out_at, opt_out_keyword, restricted_at,
                restriction_reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        consent = try BulkStatement(db, sql: """
            INSERT INTO marketing_consents (contact_id, channel, given_at, method, withdrawn_at) VALUES (?, ?, ?, ?, ?)
            """)
        call = try BulkStatement(db, sql: """
            INSERT INTO calls (id, external_id, direction, from_number, to_number, contact_id, started_at,
                duration_seconds, handled_by, staff_user_id, outcome, summary, transcript, transcript_timing,
                job_details, recording_state, recording_purged_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        recording = try BulkStatement(db, sql: """
            INSERT INTO recordings (call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at,
                legal_hold, hold_reason, held_by, held_at, purged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        holdHistory = try BulkStatement(db, sql: """
            INSERT INTO legal_hold_history (recording_id, placed_by, placed_at, reason) VALUES (?, ?, ?, ?)
            """)
        thread = try BulkStatement(db, sql: """
            INSERT INTO threads (contact_id, channel, subject, last_activity_at, unread_count, message_count)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        message = try BulkStatement(db, sql: """
            INSERT INTO messages (id, thread_id, channel, direction, from_address, to_address, contact_id, body,
                sent_at, delivery_status, attachments, is_marketing)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        review = try BulkStatement(db, sql: """
            INSERT INTO reviews (id, source, author, stars, text, posted_at, reply_text, replied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        request = try BulkStatement(db, sql: """
            INSERT INTO data_subject_requests (contact_id, type, received_at, due_at, status, completed_by, completed_at, notes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Writes one batch; returns how many primary rows (contacts, calls or messages) it held.
    func write(_ batch: BulkBatch) throws -> Int {
        switch batch {
        case .contacts(let contacts, let consents):
            for row in contacts { try insert(row) }
            for row in consents { try insert(row) }
            return contacts.count
        case .calls(let calls, let recordings):
            for row in calls { try insert(row) }
            for row in recordings { try insert(row) }
            return calls.count
        case .messages(let threads, let messages):
            var threadIds: [Int64] = []
            threadIds.reserveCapacity(threads.count)
            for row in threads {
                try insert(row)
                threadIds.append(db.lastInsertedRowID)
            }
            for row in messages { try insert(row, threadId: threadIds[row.threadSlot]) }
            return messages.count
        case .reviews(let reviews):
            for row in reviews {
                review.bind(1, row.id); review.bind(2, row.source); review.bind(3, row.author); review.bind(4, row.stars)
                review.bind(5, row.text); review.bind(6, row.postedAt); review.bind(7, row.replyText); review.bind(8, row.repliedAt)
                try review.step()
            }
            return 0
        case .requests(let requests):
            for row in requests {
                request.bind(1, row.contactId); request.bind(2, row.type.rawValue); request.bind(3, row.receivedAt)
                request.bind(4, row.dueAt); request.bind(5, row.status.rawValue); request.bind(6, row.completedBy)
                request.bind(7, row.completedAt); request.bind(8, row.notes)
                try request.step()
            }
            return 0
        }
    }

    private func insert(_ row: BulkContact) throws {
        contact.bind(1, row.id); contact.bind(2, row.name); contact.bind(3, row.phone); contact.bind(4, row.email)
        contact.bind(5, row.optedOutAt); contact.bind(6, row.optOutKeyword); contact.bind(7, row.restrictedAt)
        contact.bind(8, row.restrictionReason); contact.bind(9, row.createdAt)
        try contact.step()
    }

    private func insert(_ row: BulkConsent) throws {
        consent.bind(1, row.contactId); consent.bind(2, row.channel); consent.bind(3, row.givenAt)
        consent.bind(4, row.method); consent.bind(5, row.withdrawnAt)
        try consent.step()
    }

    private func insert(_ row: BulkCall) throws {
        call.bind(1, row.id); call.bind(2, row.externalId); call.bind(3, row.direction); call.bind(4, row.fromNumber)
        call.bind(5, row.toNumber); call.bind(6, row.contactId); call.bind(7, row.startedAt)
        call.bind(8, row.durationSeconds); call.bind(9, row.handledBy); call.bind(10, row.staffUserId)
        call.bind(11, row.outcome); call.bind(12, row.summary); call.bind(13, row.transcript)
        call.bind(14, row.transcriptTiming); call.bind(15, row.jobDetails); call.bind(16, row.recordingState)
        call.bind(17, row.recordingPurgedAt)
        try call.step()
    }

    private func insert(_ row: BulkRecording) throws {
        recording.bind(1, row.callId); recording.bind(2, row.filePath); recording.bind(3, row.bytes)
        recording.bind(4, row.durationMs); recording.bind(5, row.sha256); recording.bind(6, row.createdAt)
        recording.bind(7, row.expiresAt); recording.bind(8, row.legalHold); recording.bind(9, row.holdReason)
        recording.bind(10, row.heldBy); recording.bind(11, row.heldAt); recording.bind(12, row.purgedAt)
        try recording.step()
        if row.legalHold, let heldAt = row.heldAt, let reason = row.holdReason {
            holdHistory.bind(1, db.lastInsertedRowID); holdHistory.bind(2, row.heldBy)
            holdHistory.bind(3, heldAt); holdHistory.bind(4, reason)
            try holdHistory.step()
        }
    }

    private func insert(_ row: BulkThread) throws {
        thread.bind(1, row.contactId); thread.bind(2, row.channel); thread.bind(3, row.subject)
        thread.bind(4, row.lastActivityAt); thread.bind(5, row.unreadCount); thread.bind(6, row.messageCount)
        try thread.step()
    }

    private func insert(_ row: BulkMessage, threadId: Int64) throws {
        message.bind(1, row.id); message.bind(2, threadId); message.bind(3, row.channel); message.bind(4, row.direction)
        message.bind(5, row.fromAddress); message.bind(6, row.toAddress); message.bind(7, row.contactId)
        message.bind(8, row.body); message.bind(9, row.sentAt); message.bind(10, row.deliveryStatus)
        message.bind(11, row.attachments); message.bind(12, row.isMarketing)
        try message.step()
    }
}

/// What a bulk load takes off the schema and puts back: the full-text, row-count, search
/// id-span and calls-per-quarter-hour triggers (per-row FTS triggers managed ~8k rows/s; an FTS5 'rebuild' indexes a
/// million documents in seconds, DESIGN §9; counts and spans are recomputed once) and the secondary indexes of the bulk-loaded
/// tables. Keeping the indexes during the load was measured slower at a million calls (rows took
/// 199 s instead of 97 s, plus 37 s of CREATE INDEX): keys such as contact ids arrive in random
/// order and, once the file outgrows the page cache, every insert reads index pages back.
/// Everything comes back from its own stored SQL, so the schema ends identical to a migrated one.
struct BulkLoadSchema {
    static let bulkTables = ["contacts", "marketing_consents", "calls", "recordings", "threads", "messages"]

    private let indexes: [String]
    private let triggers: [String]

    static func suspend(_ db: Database) throws -> BulkLoadSchema {
        let tables = bulkTables.map { "'\($0)'" }.joined(separator: ", ")
        // Indexes SQLite made for UNIQUE constraints have no SQL and cannot be dropped.
        let indexes = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(tables)) ORDER BY rowid
            """)
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'trigger' AND tbl_name IN (\(tables))
            AND (sql LIKE '%call_fts%' OR sql LIKE '%message_fts%' OR sql LIKE '%contact_fts%' OR sql LIKE '%record_counts%' OR sql LIKE '%_id_span_by_day%'
                 OR sql LIKE '%call_quarter_counts%')
            ORDER BY rowid
            """)
        for index in indexes { try db.execute(sql: "DROP INDEX \((index["name"] as String).quotedDatabaseIdentifier)") }
        for trigger in triggers { try db.execute(sql: "DROP TRIGGER \((trigger["name"] as String).quotedDatabaseIdentifier)") }
        return BulkLoadSchema(indexes: indexes.map { $0["sql"] }, triggers: triggers.map { $0["sql"] })
    }

    func restoreIndexes(_ db: Database) throws {
        for sql in indexes { try db.execute(sql: sql) }
        // The contacts' search (issue 25) is small beside the calls': rebuilt with the indexes.
        try db.execute(sql: "INSERT INTO contact_fts(contact_fts) VALUES('rebuild')")
        try SearchCompaction.rebuilt(db, .contacts)
    }

    func rebuildCallSearch(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO call_fts(call_fts) VALUES('rebuild')")
        try SearchCompaction.rebuilt(db, .calls)
    }

    func rebuildMessageSearch(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO message_fts(message_fts) VALUES('rebuild')")
        try SearchCompaction.rebuilt(db, .messages)
    }

    func restoreTriggers(_ db: Database) throws {
        try RecordCounts.recount(db)
        try SearchIdSpans.rebuild(db)
        try CallDayCounts.rebuild(db)
        for sql in triggers { try db.execute(sql: sql) }
    }
}
