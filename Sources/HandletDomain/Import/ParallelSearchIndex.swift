import Foundation
import GRDB

/// Builds the call and message full-text indexes of a bulk load on a thread of its own, while
/// the writer inserts the rows (DESIGN §9): SQLite writes one file from one thread, but an FTS5
/// index is only a few shadow tables. The rows' text goes, batch by batch, into contentless FTS5
/// tables with the workspace's own columns and tokenizer in a scratch database beside it; when
/// the load is done, those shadow tables replace the workspace's empty ones (`install`). The
/// index FTS5 builds from the same text is the same whichever table it lives in, so the
/// workspace's search reads it as if it had rebuilt it itself ('integrity-check' agrees).
///
/// For a search that is empty when the load starts (a new workspace, a first import): the built
/// index replaces the workspace's, it is not merged into it. Both the writer and this thread
/// read the same `BulkBatch` values, so nothing is copied between them.
final class ParallelSearchIndex: @unchecked Sendable {
    /// The full-text tables built here, and the text each indexes (through the same NUL-showing
    /// expression as the workspace's `*_fts_text` views read it).
    static let tables = ["call_fts", "message_fts"]
    static let shadowTables = ["data", "idx", "docsize"]
    /// Batches waiting for this thread; the writer waits when it is this far ahead.
    private static let lookahead = 8
    /// FTS5 keeps terms in memory until they pass this size, then writes a segment: larger means
    /// fewer segments to merge (SQLite's default is 1 MB).
    static let hashBytes = 64 << 20

    let scratch: URL
    private let queue: DatabaseQueue
    private let condition = NSCondition()
    private var pending: [BulkBatch] = []
    private var closed = false
    private var cancelled = false
    private var failure: Error?
    private let thread = DispatchGroup()
    /// How long the writer waited for this thread to catch up, and how long `finish` waited.
    private(set) var writerWaited: TimeInterval = 0
    private(set) var finishWaited: TimeInterval = 0
    /// CPU seconds the thread used, once it has finished.
    private(set) var threadCPU: TimeInterval = 0

    /// Starts the thread. `db` is the workspace the load writes (its table definitions are read
    /// here); `scratch` is a path for the scratch database, replaced if something is there.
    init(for db: Database, scratch: URL) throws {
        let definitions = try Self.tables.map { table in
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                arguments: [table]) else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no full-text table \(table)")
            }
            return try Self.contentless(sql)
        }
        self.scratch = scratch
        Self.removeFiles(scratch)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        queue = try DatabaseQueue(path: scratch.path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            // A scratch file, deleted whatever happens: neither a journal nor fsyncs.
            try db.execute(sql: """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA cache_size = -1048576;
                PRAGMA temp_store = MEMORY;
                """)
            for sql in definitions { try db.execute(sql: sql) }
            for table in Self.tables {
                try db.execute(sql: "INSERT INTO \(table)(\(table), rank) VALUES('hashsize', \(Self.hashBytes))")
            }
        }
        thread.enter()
        let worker = Thread { [self] in
            run()
            threadCPU = LoadTimings.threadCPU()
            thread.leave()
        }
        worker.stackSize = 8 << 20
        worker.start()
    }

    /// `CREATE VIRTUAL TABLE t USING fts5(cols, content='view', content_rowid='id', tokenize=…)`
    /// without its content: same columns, same tokenizer and options.
    static func contentless(_ sql: String) throws -> String {
        var result = sql.replacingOccurrences(of: #",?\s*content_rowid\s*=\s*'[^']*'"#, with: "", options: .regularExpression)
        result = result.replacingOccurrences(of: #"content\s*=\s*'[^']*'"#, with: "content=''", options: .regularExpression)
        guard result.contains("content=''"), result.range(of: "fts5", options: .caseInsensitive) != nil else {
            throw DatabaseError(resultCode: .SQLITE_ERROR, message: "not an external-content FTS5 table: \(sql)")
        }
        return result
    }

    /// Hands a batch written to the workspace to this thread (only calls and messages have
    /// indexed text); waits while the thread is `lookahead` batches behind. Rethrows its failure.
    func add(_ batch: BulkBatch) throws {
        switch batch {
        case .calls, .messages: break
        default: return
        }
        condition.lock()
        defer { condition.unlock() }
        if pending.count >= Self.lookahead && failure == nil {
            let started = Date()
            while pending.count >= Self.lookahead && failure == nil { condition.wait() }
            writerWaited += Date().timeIntervalSince(started)
        }
        if let failure { throw failure }
        pending.append(batch)
        condition.broadcast()
    }

    /// No more batches: waits for the thread to index what it has and commit. Rethrows its failure.
    func finish() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
        let started = Date()
        thread.wait()
        finishWaited = Date().timeIntervalSince(started)
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
    }

    /// After `finish`: replaces the call and message search of the workspace at `path` with the
    /// index built here, in one transaction. Done through this connection (the workspace's own
    /// must hold no transaction meanwhile): FTS5 caches an index's structure per connection and
    /// re-reads it when another connection has written the file, so the workspace's connection
    /// sees the new index at its next statement. Copying within one connection would leave that
    /// cache stale.
    func install(into path: String) throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS workspace", arguments: [path])
            try db.execute(sql: """
                PRAGMA workspace.journal_mode = OFF;
                PRAGMA workspace.synchronous = OFF;
                PRAGMA workspace.secure_delete = FAST;
                """)
            try db.inTransaction {
                for table in Self.tables {
                    for shadow in Self.shadowTables {
                        let name = "\(table)_\(shadow)"
                        try db.execute(sql: "DELETE FROM workspace.\(name)")
                        try db.execute(sql: "INSERT INTO workspace.\(name) SELECT * FROM main.\(name)")
                    }
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE workspace")
        }
    }

    /// Stops the thread if it still runs, closes the scratch database and deletes it.
    func discard() {
        condition.lock()
        cancelled = true
        closed = true
        condition.broadcast()
        condition.unlock()
        thread.wait()
        try? queue.close()
        Self.removeFiles(scratch)
    }

    static func removeFiles(_ scratch: URL) {
        for suffix in ["", "-journal", "-wal", "-shm"] { _ = unlink(scratch.path + suffix) }
    }

    private func run() {
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction {
                    let call = try BulkStatement(db, sql: """
                        INSERT INTO call_fts(rowid, summary, transcript)
                        VALUES (?1, \(TextWithNUL.visibleNUL("?2")), \(TextWithNUL.visibleNUL("?3")))
                        """)
                    let message = try BulkStatement(db, sql: """
                        INSERT INTO message_fts(rowid, body) VALUES (?1, \(TextWithNUL.visibleNUL("?2")))
                        """)
                    while let batch = next() {
                        switch batch {
                        case .calls(let calls, _):
                            for row in calls {
                                call.bind(1, row.id); call.bind(2, row.summary); call.bind(3, row.transcript)
                                try call.step()
                            }
                        case .messages(_, let messages):
                            for row in messages {
                                message.bind(1, row.id); message.bind(2, row.body)
                                try message.step()
                            }
                        default:
                            break
                        }
                    }
                    return isCancelled ? .rollback : .commit
                }
            }
        } catch {
            condition.lock()
            failure = error
            pending.removeAll()
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch, nil once the writer is done (or the load was abandoned).
    private func next() -> BulkBatch? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !closed { condition.wait() }
        if cancelled || pending.isEmpty { return nil }
        let batch = pending.removeFirst()
        condition.broadcast()
        return batch
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
