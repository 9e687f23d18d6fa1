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
    /// FTS5 keeps terms in memory until they pass this size, then writes a segment: larger means
    /// fewer segments to merge (SQLite's default is 1 MB).
    static let hashBytes = 64 << 20

    let scratch: URL
    private let queue: DatabaseQueue
    private let condition = NSCondition()
    /// The text of batches written but not yet indexed, and roughly how much memory it holds.
    private var pending: [Text] = []
    private var pendingBytes = 0
    /// While the rows are written this thread leaves the cores to the writer and the generator:
    /// it starts indexing only when this much text waits, and indexes the rest once the rows are
    /// written, while the writer commits them and builds the other indexes on one core.
    private let holdBytes: Int
    /// The writer waits when this much text waits (the thread is behind even so).
    private let maximumBytes: Int
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
    init(for db: Database, scratch: URL, holdBytes: Int = ParallelSearchIndex.defaultHoldBytes) throws {
        let definitions = try Self.tables.map { table in
            guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                                                arguments: [table]) else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no full-text table \(table)")
            }
            return try Self.contentless(sql)
        }
        self.scratch = scratch
        self.holdBytes = holdBytes
        maximumBytes = holdBytes + (64 << 20)
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
            // Named for profilers and `top -H`.
            Thread.current.name = "handlet-search"
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

    /// An eighth of the memory (a million calls and three million messages hold under 2 GB of
    /// text). `HANDLET_DEMO_SEARCH_HOLD=BYTES` sets it for a benchmark (0: index as the rows come).
    static var defaultHoldBytes: Int {
        if let text = ProcessInfo.processInfo.environment["HANDLET_DEMO_SEARCH_HOLD"], let bytes = Int(text), bytes >= 0 {
            return bytes
        }
        return Int(ProcessInfo.processInfo.physicalMemory / 8)
    }

    /// The indexed text of a batch, without the rest of its rows (freed once they are written).
    private enum Text {
        case calls([(id: Int64, summary: String, transcript: String)])
        case messages([(id: Int64, body: String)])
    }

    /// What a string costs held in memory: its bytes and a heap object's header.
    private static func cost(_ text: String) -> Int { text.utf8.count + 48 }

    /// Hands a batch written to the workspace to this thread (only calls and messages have
    /// indexed text); waits while `maximumBytes` of text waits. Rethrows its failure.
    func add(_ batch: BulkBatch) throws {
        let text: Text
        var bytes = 0
        switch batch {
        case .calls(let calls, _):
            text = .calls(calls.map { row in
                bytes += Self.cost(row.summary) + Self.cost(row.transcript) + 24
                return (row.id, row.summary, row.transcript)
            })
        case .messages(_, let messages):
            text = .messages(messages.map { row in
                bytes += Self.cost(row.body) + 16
                return (row.id, row.body)
            })
        default: return
        }
        condition.lock()
        defer { condition.unlock() }
        if pendingBytes >= maximumBytes && failure == nil {
            let started = Date()
            while pendingBytes >= maximumBytes && failure == nil { condition.wait() }
            writerWaited += Date().timeIntervalSince(started)
        }
        if let failure { throw failure }
        pending.append(text)
        pendingBytes += bytes
        bytesOf.append(bytes)
        condition.broadcast()
    }

    /// The bytes counted for each pending batch, in order.
    private var bytesOf: [Int] = []

    /// No more batches: the thread indexes what it has and commits, meanwhile the writer goes on
    /// (committing the rows, building the other indexes), which leaves a core to this thread.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// After the last batch: waits for the thread to index what it has and commit. Rethrows its failure.
    func finish() throws {
        close()
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
                    if let index = SearchCompaction.Index(rawValue: table) { try SearchCompaction.rebuilt(db, schema: "workspace", index) }
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
                    while let text = next() {
                        switch text {
                        case .calls(let calls):
                            for row in calls {
                                call.bind(1, row.id); call.bind(2, row.summary); call.bind(3, row.transcript)
                                try call.step()
                            }
                        case .messages(let messages):
                            for row in messages {
                                message.bind(1, row.id); message.bind(2, row.body)
                                try message.step()
                            }
                        }
                    }
                    return isCancelled ? .rollback : .commit
                }
            }
        } catch {
            condition.lock()
            failure = error
            pending.removeAll()
            bytesOf.removeAll()
            pendingBytes = 0
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next batch's text, nil once the writer is done (or the load was abandoned). While
    /// the rows are written, only once more than `holdBytes` of text waits.
    private func next() -> Text? {
        condition.lock()
        defer { condition.unlock() }
        while !closed && (pending.isEmpty || pendingBytes <= holdBytes) { condition.wait() }
        if cancelled || pending.isEmpty { return nil }
        let text = pending.removeFirst()
        pendingBytes -= bytesOf.removeFirst()
        condition.broadcast()
        return text
    }

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }
}
