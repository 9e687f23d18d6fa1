import Foundation
import GRDB

// Setup and inspection for the test suite, which reaches the workspace only through the domain;
// every statement is here, beside the schema it depends on. `package` alone would not keep them
// from the console and the CLI (every target of the package sees `package` API), so they are
// compiled only with HANDLET_TEST_HOOKS (debug and benchmark builds, Package.swift): the release
// binary has none, and `ArchitectureTests` fails if the console or the CLI calls one.
#if HANDLET_TEST_HOOKS

extension Workspace {
    /// Stores a newly taken call with `audio` (nil: none captured) as the importer does,
    /// recording policy, file and expiry included.
    @discardableResult
    package func importCall(_ call: Call, audio: Data?, recordedAt: Date) throws -> RecordingImport.Stored {
        try dbPool.write { db in try RecordingImport.add(call, audio: audio, recordedAt: recordedAt, in: db, audioFolder: audioDirectory) }
    }

    /// `importCall` for many calls in one transaction: a large fixture in seconds, not minutes.
    @discardableResult
    package func importCalls(_ calls: [(call: Call, audio: Data?, recordedAt: Date)]) throws -> [RecordingImport.Stored] {
        try dbPool.write { db in
            try calls.map { try RecordingImport.add($0.call, audio: $0.audio, recordedAt: $0.recordedAt, in: db, audioFolder: audioDirectory) }
        }
    }

    /// Folds the WAL into the database file and closes every connection: the file is then
    /// complete on its own, for copying or for another process.
    package func checkpointAndClose() throws {
        try dbPool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try dbPool.close()
    }
}

// MARK: Rewriting stored text and dates (what an importer or an older version may have left)

extension Workspace {
    /// Sets a call's summary and its stored transcript text as they are in the database (a
    /// hostile or malformed import), bypassing every check the domain's writers make.
    package func overwriteCall(externalId: String, summary: String, transcriptText: String) throws {
        try dbPool.write { db in
            try db.execute(sql: "UPDATE calls SET summary = ?, transcript = ? WHERE external_id = ?",
                           arguments: [summary, transcriptText, externalId])
        }
    }

    /// Sets the body of every message whose body starts with `prefix`.
    package func overwriteMessageBodies(startingWith prefix: String, with body: String) throws {
        try dbPool.write { db in
            try db.execute(sql: "UPDATE messages SET body = ? WHERE substr(body, 1, length(?)) = ?", arguments: [body, prefix, prefix])
        }
    }

    /// Sets one message's body.
    package func overwriteMessageBody(_ id: Message.ID, with body: String) throws {
        try dbPool.write { db in try db.execute(sql: "UPDATE messages SET body = ? WHERE id = ?", arguments: [body, id]) }
    }

    /// Appends `text` to one message's body.
    package func appendToMessageBody(_ id: Message.ID, _ text: String) throws {
        try dbPool.write { db in try db.execute(sql: "UPDATE messages SET body = body || ? WHERE id = ?", arguments: [text, id]) }
    }

    /// Renames the contact called `name`.
    package func overwriteContactName(_ name: String, with newName: String) throws {
        try dbPool.write { db in try db.execute(sql: "UPDATE contacts SET name = ? WHERE name = ?", arguments: [newName, name]) }
    }

    /// Re-dates every recording as made at `createdAt` and expiring `retentionDays` later.
    package func redateRecordings(createdAt: Date, retentionDays: Int = 30) throws {
        let created = Int64(createdAt.timeIntervalSince1970)
        try dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET created_at = ?, expires_at = ?",
                           arguments: [created, created + Int64(retentionDays) * 86_400])
        }
    }

    /// Makes every recording expire at `expiresAt` (a second-resolution instant).
    package func setRecordingExpiry(_ expiresAt: Date) throws {
        try dbPool.write { db in
            try db.execute(sql: "UPDATE recordings SET expires_at = ?", arguments: [Int64(expiresAt.timeIntervalSince1970)])
        }
    }

    /// Gives a call that has none a recording row for an audio file already written at `filePath`
    /// (relative to the audio folder), made at `createdAt` and expiring at `expiresAt`.
    package func attachRecording(toCall id: Call.ID, filePath: String, createdAt: Date, expiresAt: Date) throws {
        try dbPool.write { db in
            try db.execute(sql: """
                INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at)
                VALUES (?, ?, 10, 1000, 'abc', ?, ?)
                """, arguments: [id, filePath, Int64(createdAt.timeIntervalSince1970), Int64(expiresAt.timeIntervalSince1970)])
        }
    }

    /// `count` inbound calls `BULK-0`… one second apart from `start`, each with a recording
    /// `bulk-N.wav` (the files are the caller's) made when the call started and expiring a day later.
    package func addBulkRecordedCalls(count: Int, from start: Date) throws {
        try dbPool.write { db in
            try db.execute(sql: """
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
                INSERT INTO calls(external_id, direction, from_number, to_number, started_at, duration_seconds, handled_by,
                                  outcome, recording_state)
                SELECT 'BULK-' || i, 'inbound', '+447700900123', '+441632960000', ? + i, 30, 'ai_agent', 'booked_job', 'recorded' FROM n
                """, arguments: [count, Int64(start.timeIntervalSince1970)])
            try db.execute(sql: """
                INSERT INTO recordings(call_id, file_path, bytes, duration_ms, sha256, created_at, expires_at)
                SELECT id, 'bulk-' || substr(external_id, 6) || '.wav', 10, 1000, 'abc', started_at, started_at + 86400
                FROM calls WHERE external_id LIKE 'BULK-%'
                """)
        }
    }

    /// Changes a stored audit event's target behind the log's back (dropping the triggers that
    /// forbid it): what tampering looks like to `verify`.
    package func tamperWithAuditEvent(seq: Int64, target: String) throws {
        try dbPool.write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete")
            try db.execute(sql: "UPDATE audit_events SET target = ? WHERE seq = ?", arguments: [target, seq])
        }
    }
}

// MARK: Reading back what a test cannot see through a query

/// What the purge has left in the store, for tests of a stopped or finished purge.
package struct PurgeState: Equatable, Sendable {
    package var purgedRecordings: Int
    package var runs: Int
    package var journalEntries: Int
}

extension Workspace {
    /// Every audit event's action, oldest first.
    package func auditActions() throws -> [String] {
        try dbPool.read { db in try String.fetchAll(db, sql: "SELECT action FROM audit_events ORDER BY seq") }
    }

    /// The details (JSON) of every audit event with `action`, oldest first.
    package func auditDetails(_ action: AuditAction) throws -> [String] {
        try dbPool.read { db in
            try String.fetchAll(db, sql: "SELECT details FROM audit_events WHERE action = ? ORDER BY seq", arguments: [action.rawValue])
        }
    }

    package func purgeState() throws -> PurgeState {
        try dbPool.read { db in
            PurgeState(purgedRecordings: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM recordings WHERE purged_at IS NOT NULL")!,
                       runs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_run")!,
                       journalEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM purge_journal")!)
        }
    }

    /// The stored file path of every recording, by id.
    package func recordingFilePaths() throws -> [String] {
        try dbPool.read { db in try String.fetchAll(db, sql: "SELECT file_path FROM recordings ORDER BY id") }
    }

    /// The id of a call with no recording, if any.
    package func aCallWithoutRecording() throws -> Call.ID? {
        try dbPool.read { db in
            try Call.ID.fetchOne(db, sql: "SELECT id FROM calls WHERE recording_state = 'not_recorded' ORDER BY id LIMIT 1")
        }
    }

    /// How many bytes a message's body takes as stored (NULs and all).
    package func storedBodyLength(ofMessage id: Message.ID) throws -> Int? {
        try dbPool.read { db in try Int.fetchOne(db, sql: "SELECT length(CAST(body AS BLOB)) FROM messages WHERE id = ?", arguments: [id]) }
    }

    /// Every row of `tables`, as text, in each table's first-column order: a snapshot to compare
    /// before and after something that must change nothing.
    package func snapshotRows(of tables: [String]) throws -> [String] {
        try dbPool.read { db in
            try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { "\(table): \($0)" }
            }
        }
    }
}
#endif

#if HANDLET_TEST_HOOKS
extension Workspace {
    /// A test fixture's workspace, filled through the raw queue before it is renamed into place.
    package static func createFixture(at url: URL, workspace: WorkspaceRecord, users: [User], now: Date = Date(),
                                      populate: (DatabaseQueue, URL) throws -> Void) throws -> Workspace {
        let audio = buildingAudioDirectory(for: url)
        return try create(at: url, workspace: workspace, users: users, now: now,
                          populate: { queue in try populate(queue, audio) }, history: { _ in })
    }
}
#endif
