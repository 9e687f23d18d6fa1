import Foundation
import GRDB

/// A large import into a (nearly) empty workspace writes its rows first and builds the search
/// after them (DESIGN §9): per-row full-text triggers manage ~8k rows/s, an FTS5 'rebuild'
/// indexes a million documents in seconds. The insert triggers of the search, the row counts,
/// the search id spans and the calls per quarter hour are set aside, their SQL kept in
/// `import_suspended_triggers` in the same transaction that drops them; `restore` rebuilds what
/// they maintain and puts them back.
///
/// An import killed in between leaves the marker rows: the next import, or the next opening of
/// the workspace for changes, finishes the rebuild first (`resumeIfAbandoned`), so the search
/// never stays without the records a dead import stored.
enum ImportSearchSuspension {
    static let triggerNames: [String] = ["calls_fts_insert", "messages_fts_insert"]
        + RecordCounts.countedTables.filter { $0 != "audit_events" }.map { "\($0)_count_insert" }
        + ["calls_id_span_insert", "messages_id_span_insert", "calls_quarter_count_insert"]

    /// The bulk tables whose secondary indexes a large import takes off while its rows go in and
    /// builds after them: keys such as contact ids and times arrive in no order, and every row
    /// would otherwise update each of a dozen indexes (the demo's load measured the same, DESIGN §9).
    /// Indexes the import itself reads (contacts, threads, import keys, UNIQUE constraints) stay.
    static let indexedTables = ["calls", "messages"]
    /// Indexes a query names (`INDEXED BY`): SQLite refuses such a query when its index is gone,
    /// so they stay while an import runs (or after one was killed), and reads keep working.
    static let indexesNamedByQueries: Set<String> = [
        "calls_by_time", "calls_text_kept", "messages_auto_sent_by_time", "messages_marketing", "messages_text_kept",
        "messages_unlinked_from", "messages_unlinked_to",
    ]

    /// Drops the insert triggers and the bulk tables' secondary indexes (those not already set
    /// aside) and records their SQL.
    static func suspend(_ db: Database) throws {
        let names = triggerNames.map { "'\($0)'" }.joined(separator: ", ")
        let tables = indexedTables.map { "'\($0)'" }.joined(separator: ", ")
        let kept = indexesNamedByQueries.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let triggers = try Row.fetchAll(db, sql: """
            SELECT name, sql, type FROM sqlite_master WHERE (type = 'trigger' AND name IN (\(names)))
                OR (type = 'index' AND sql IS NOT NULL AND tbl_name IN (\(tables)) AND name NOT IN (\(kept)))
            """)
        for trigger in triggers {
            let name: String = trigger["name"]
            try db.execute(sql: "INSERT OR REPLACE INTO import_suspended_triggers (name, sql) VALUES (?, ?)",
                           arguments: [name, trigger["sql"] as String])
            try db.execute(sql: "\((trigger["type"] as String) == "index" ? "DROP INDEX" : "DROP TRIGGER") \(name.quotedDatabaseIdentifier)")
        }
    }

    static func isPending(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM import_suspended_triggers)") ?? false
    }

    /// Builds the indexes set aside, rebuilds both full-text indexes, the row counts and the id
    /// spans, then puts the triggers back.
    static func restore(_ db: Database, phase: ((ImportProgress.Phase) -> Void)? = nil) throws {
        var timings = LoadTimings()
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM import_suspended_triggers WHERE sql LIKE 'CREATE%INDEX%' ORDER BY name") {
            let name: String = row["name"]
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = ?", arguments: [name]) == nil {
                try db.execute(sql: row["sql"] as String)
            }
        }
        timings.mark("indexes")
        phase?(.callSearch)
        try db.execute(sql: "INSERT INTO call_fts(call_fts) VALUES('rebuild')")
        try SearchCompaction.rebuilt(db, .calls)
        timings.mark("call_fts rebuild")
        phase?(.messageSearch)
        try db.execute(sql: "INSERT INTO message_fts(message_fts) VALUES('rebuild')")
        try SearchCompaction.rebuilt(db, .messages)
        timings.mark("message_fts rebuild")
        try RecordCounts.recount(db)
        try SearchIdSpans.rebuild(db)
        try CallDayCounts.rebuild(db)
        for row in try Row.fetchAll(db, sql: "SELECT name, sql FROM import_suspended_triggers ORDER BY name") {
            let name: String = row["name"]
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = ?", arguments: [name]) == nil {
                try db.execute(sql: row["sql"] as String)
            }
        }
        try db.execute(sql: "DELETE FROM import_suspended_triggers")
        timings.mark("counts, spans and triggers")
    }

    /// At opening for changes: an import that died with the triggers set aside is finished here,
    /// unless an import is still running (it holds the import lock and will restore them itself).
    static func resumeIfAbandoned(_ writer: DatabaseQueue, databaseURL: URL) throws {
        let pending = try writer.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'import_suspended_triggers'") != nil
                && isPending(db)
        }
        guard pending, let lock = try? ImportLock.acquire(beside: databaseURL) else { return }
        defer { lock.release() }
        try writer.write { db in
            guard try isPending(db) else { return }
            try restore(db)
        }
    }
}

extension ImportSearchSuspension {
    /// At opening for changes: recordings a killed import left staged are finished (moved into
    /// place when their rows were stored, removed otherwise), unless an import is running.
    static func sweepStagedRecordings(_ writer: DatabaseQueue, databaseURL: URL, audioFolder: URL) throws {
        guard let lock = try? ImportLock.acquire(beside: databaseURL) else { return }
        defer { lock.release() }
        try RecordingStaging.sweep(audioFolder: audioFolder, read: { try writer.read($0) })
    }
}

enum ImportLock {
    /// One import at a time per workspace (the search triggers of a large one are set aside).
    static func acquire(beside databaseURL: URL) throws -> JobLock {
        try JobLock.acquire("import", beside: databaseURL, busy: { ImportError.alreadyRunning(lock: $0) },
                            unavailable: { path, _ in ImportError.cannotWrite(path: path) })
    }
}
