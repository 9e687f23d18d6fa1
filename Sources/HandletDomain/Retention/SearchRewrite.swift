import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Rewrites full-text indexes from their content so no removed text's words are left in them
/// (`SearchCompaction`), each index on a thread of its own, holding the workspace's write lock
/// only while the rewritten indexes are put in place.
///
/// 1. Each index is built on its own thread, in a scratch database beside the workspace (a
///    contentless FTS5 table with the same columns, tokenizer and options, as `ParallelSearchIndex`
///    builds the demo's), from one read snapshot of its content table. That snapshot also
///    records the workspace index's structure record, which FTS5 rewrites at every change of the
///    index (a row indexed, a delete marker, a merge).
/// 2. One connection of its own on the workspace takes the write lock and, for each index whose
///    structure record is still the one the snapshot saw (nothing changed its content meanwhile),
///    replaces the shadow tables with the built ones; an index that did change, or whose build
///    failed, is rebuilt in place there, as before. `install` adds the caller's own statements to
///    that transaction (the erasure's bookkeeping and audit event). The copy goes through that
///    connection, not the pool's writer: FTS5 caches an index's structure per connection and
///    re-reads it only when another connection has written the file.
/// 3. The -wal is emptied (`wal_checkpoint(TRUNCATE)`), then the measured rates are kept for the
///    next estimate (`SearchRewriteRates`).
///
/// A kill at any instant: before the install commits, the workspace is untouched (scratch files
/// are deleted at the next run) and the debt stays recorded; after, the work is done.
struct SearchRewrite {
    typealias Index = SearchCompaction.Index

    /// What rewriting one index measured.
    struct Measure: Sendable, Equatable {
        var rows = 0
        var buildSeconds = 0.0
        var buildCPU = 0.0
        var installSeconds = 0.0
        /// Rebuilt in place under the write lock (its content changed during the build, or the build failed).
        var inPlace = false
    }

    struct Outcome: Sendable {
        var measures: [Index: Measure] = [:]
        var commitSeconds = 0.0
        var walTruncated = true
    }

    /// Where a rewrite is, for whoever shows its progress.
    enum Phase: Sendable { case building, installing, checkpoint }

    let workspace: Workspace
    private var timings = RewriteTimings()

    #if HANDLET_TEST_HOOKS
    /// Runs between the builds and the install (tests: a change the builds' snapshot missed).
    nonisolated(unsafe) static var afterBuilds: (() throws -> Void)?
    /// Runs inside a build's snapshot, on its thread (tests: another writer meanwhile).
    nonisolated(unsafe) static var duringBuild: ((Index) throws -> Void)?
    #endif

    init(workspace: Workspace) {
        self.workspace = workspace
    }

    /// What every scratch database's name beside the workspace starts with (after the database's).
    static let scratchPrefix = "-rewrite-"

    /// The scratch database `index` is built in, beside the workspace: named for this process, so
    /// a run never touches another's (`SearchRewriteLock` keeps to one run at a time anyway).
    static func scratch(for databaseURL: URL, _ index: Index) -> URL {
        URL(fileURLWithPath: databaseURL.path + scratchPrefix + "\(getpid())-" + index.rawValue)
    }

    /// Removes the scratch files of runs whose process is gone (a kill), and the unnumbered names
    /// of earlier versions; a live process's are left alone.
    static func clearLeftovers(besides databaseURL: URL) {
        let folder = databaseURL.deletingLastPathComponent()
        let prefix = databaseURL.lastPathComponent + scratchPrefix
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            let digits = rest.prefix(while: \.isNumber)
            if let pid = Int32(digits), rest.dropFirst(digits.count).hasPrefix("-"), pid != getpid(), Workspace.Building.isAlive(pid) { continue }
            _ = unlink(folder.appendingPathComponent(name).path)
        }
    }

    /// Rewrites `indexes` (clearing their debt) and runs `install` in the same transaction, under
    /// `lock` (`SearchRewriteLock`: the caller holds it, the erasure for its whole run).
    /// `killHook` (crash tests) counts the statements of the installing connection as batch `killBatch`.
    /// `phase` is told as the builds end and the install and the checkpoint start (the console's progress).
    mutating func run(_ indexes: Set<Index>, under lock: JobLock, killHook: PurgeKillHook?, killBatch: Int,
                      phase: ((Phase) -> Void)? = nil, install: (Database) throws -> Void) throws -> Outcome {
        let databaseURL = workspace.databaseURL
        Self.clearLeftovers(besides: databaseURL)
        defer { for index in Index.allCases { ParallelSearchIndex.removeFiles(Self.scratch(for: databaseURL, index)) } }
        // Largest first, so the longest build starts first when there are fewer cores than indexes.
        let order = Index.allCases.filter(indexes.contains)
        let builders = order.map { Builder(index: $0, workspace: databaseURL.path, scratch: Self.scratch(for: databaseURL, $0)) }
        phase?(.building)
        let group = DispatchGroup()
        for builder in builders {
            group.enter()
            let thread = Thread {
                builder.run()
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        #if HANDLET_TEST_HOOKS
        try Self.afterBuilds?()
        // End-to-end tests: HANDLET_TEST_REWRITE_PAUSE=SECONDS holds a rewrite here, so a console
        // can be seen (and quit) while its erasure runs.
        if let pause = Double(ProcessInfo.processInfo.environment["HANDLET_TEST_REWRITE_PAUSE"] ?? "") { Thread.sleep(forTimeInterval: pause) }
        #endif
        timings.mark("builds (\(builders.map { "\($0.index.rawValue) \($0.summary)" }.joined(separator: ", ")))")

        phase?(.installing)
        var outcome = Outcome()
        var configuration = Workspace.configuration()
        configuration.journalMode = .default
        let writer = try DatabaseQueue(path: databaseURL.path, configuration: configuration)
        defer { try? writer.close() }
        nonisolated(unsafe) var counter: PurgeKillHook.Counter?
        do {
            try writer.writeWithoutTransaction { db in
                counter = killHook?.arm(db, batch: killBatch)
                try db.execute(sql: "PRAGMA secure_delete = ON")
                // The old segments' pages are zeroed and the new ones written in the same transaction:
                // a cache that holds them writes each page to the -wal once.
                try db.execute(sql: "PRAGMA cache_size = -262144")
                let built = builders.filter { $0.built != nil }
                for builder in built {
                    try db.execute(sql: "ATTACH DATABASE ? AS \(builder.schema)", arguments: [builder.scratch.path])
                }
                let transactionStarted = Date()
                try db.inTransaction(.immediate) {
                    for builder in builders {
                        let installStarted = Date()
                        var measure = Measure()
                        let current = try Self.fingerprint(db, schema: "main", builder.index)
                        if let done = builder.built, done.structure == current {
                            measure = Measure(rows: done.rows, buildSeconds: done.seconds, buildCPU: done.cpu)
                            for shadow in ParallelSearchIndex.shadowTables {
                                let name = "\(builder.index.rawValue)_\(shadow)"
                                try db.execute(sql: "DELETE FROM main.\(name)")
                                try db.execute(sql: "INSERT INTO main.\(name) SELECT * FROM \(builder.schema).\(name)")
                            }
                        } else {
                            measure.inPlace = true
                            measure.rows = builder.built?.rows ?? 0
                            try db.execute(sql: "INSERT INTO \(builder.index.rawValue)(\(builder.index.rawValue)) VALUES ('rebuild')")
                        }
                        try SearchCompaction.rebuilt(db, builder.index)
                        try db.execute(sql: "DELETE FROM fts_compaction_owed WHERE index_name = ?", arguments: [builder.index.rawValue])
                        measure.installSeconds = Date().timeIntervalSince(installStarted)
                        outcome.measures[builder.index] = measure
                    }
                    try install(db)
                    return .commit
                }
                for builder in built { try db.execute(sql: "DETACH DATABASE \(builder.schema)") }
                timings.mark("install and commit")
                phase?(.checkpoint)
                // Old page images holding the removed text leave the -wal only here. A reader (another
                // process) can keep it from emptying; the work is done, so report rather than fail.
                outcome.walTruncated = (try? db.checkpoint(.truncate)) != nil
                timings.mark("checkpoint")
                // Commit and checkpoint: what the transaction took beyond the indexes' own statements.
                outcome.commitSeconds = max(0, Date().timeIntervalSince(transactionStarted)
                                            - outcome.measures.values.reduce(0) { $0 + $1.installSeconds })
            }
        } catch {
            // Busy, a full disk, damage: the same errors as the workspace's own writer reports.
            throw workspace.dbPool.translated(error)
        }
        killHook?.afterCommit(counter)
        // Kept for the next estimate; advisory, so a failure here is not the rewrite's.
        try? writer.writeWithoutTransaction { db in
            try db.inTransaction {
                try SearchRewriteRates.record(db, outcome)
                return .commit
            }
            _ = try? db.checkpoint(.truncate)
        }
        return outcome
    }

    /// What changes whenever the index's content changes: its structure record (rowid 10), which
    /// FTS5 rewrites whenever it writes terms or delete markers (every flush adds a segment), and
    /// its averages record (rowid 1: rows and tokens per column), which every row added or
    /// deleted changes, also a row without a word (a missed call's empty summary adds no term);
    /// and the count of its rebuilds (`SearchCompaction.rebuilt`), since an index rebuilt from
    /// scratch after a change can hold the same two records as before it.
    static func fingerprint(_ db: Database, schema: String, _ index: Index) throws -> Data {
        let records = try Data.fetchAll(db, sql: "SELECT block FROM \(schema).\(index.rawValue)_data WHERE id IN (1, 10) ORDER BY id")
            .reduce(Data()) { $0 + Data([UInt8($1.count & 0xff), UInt8($1.count >> 8 & 0xff)]) + $1 }
        let generation = try SearchCompaction.generation(db, schema: schema, index)
        return records + withUnsafeBytes(of: generation.littleEndian) { Data($0) }
    }

    /// Builds one index's replacement in its scratch database, on the thread that calls `run`.
    final class Builder: @unchecked Sendable {
        struct Built {
            /// The workspace index's `fingerprint` in the snapshot the build read.
            var structure: Data
            var rows: Int
            var seconds: Double
            var cpu: Double
        }

        let index: Index
        let workspace: String
        let scratch: URL
        private(set) var built: Built?
        private(set) var failure: Error?

        init(index: Index, workspace: String, scratch: URL) {
            self.index = index
            self.workspace = workspace
            self.scratch = scratch
        }

        /// The scratch database's name when the installing connection attaches it.
        var schema: String { "rewrite_\(index.rawValue)" }

        var summary: String {
            guard let built else { return "failed: \(failure.map { String(describing: $0) } ?? "?")" }
            return "\(built.rows) rows, \(String(format: "%.1f", built.seconds)) s, \(String(format: "%.1f", built.cpu)) s CPU"
        }

        func run() {
            let started = Date()
            let cpu = LoadTimings.threadCPU()
            do {
                var configuration = Configuration()
                configuration.foreignKeysEnabled = false
                configuration.busyMode = .timeout(2)
                let queue = try DatabaseQueue(path: scratch.path, configuration: configuration)
                defer { try? queue.close() }
                let table = index.rawValue
                var result = Built(structure: Data(), rows: 0, seconds: 0, cpu: 0)
                try queue.writeWithoutTransaction { db in
                    // A scratch file, deleted whatever happens: neither a journal nor fsyncs.
                    try db.execute(sql: """
                        PRAGMA main.journal_mode = OFF;
                        PRAGMA main.synchronous = OFF;
                        PRAGMA cache_size = -262144;
                        PRAGMA temp_store = MEMORY;
                        """)
                    try db.execute(sql: "ATTACH DATABASE ? AS workspace", arguments: [workspace])
                    guard let definition = try String.fetchOne(db, sql: "SELECT sql FROM workspace.sqlite_master WHERE type = 'table' AND name = ?",
                                                               arguments: [table]) else {
                        throw DatabaseError(resultCode: .SQLITE_ERROR, message: "no full-text table \(table)")
                    }
                    let source = try Self.source(definition)
                    let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'workspace') ORDER BY cid",
                                                      arguments: [table])
                    guard !columns.isEmpty else { throw DatabaseError(resultCode: .SQLITE_ERROR, message: "\(table) has no columns") }
                    try db.execute(sql: ParallelSearchIndex.contentless(definition))
                    try db.execute(sql: "INSERT INTO main.\(table)(\(table), rank) VALUES('hashsize', \(ParallelSearchIndex.hashBytes))")
                    let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    // Deferred: the workspace is only read (a snapshot, taken by the first read), never
                    // locked for writing; only the scratch database is written.
                    try db.inTransaction(.deferred) {
                        // One snapshot of the workspace for both: the structure seen and the rows indexed.
                        result.structure = try SearchRewrite.fingerprint(db, schema: "workspace", index)
                        try db.execute(sql: """
                            INSERT INTO main.\(table)(rowid, \(list))
                            SELECT "\(source.rowid)", \(list) FROM workspace."\(source.content)"
                            """)
                        result.rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM main.\(table)_docsize") ?? 0
                        #if HANDLET_TEST_HOOKS
                        try SearchRewrite.duringBuild?(index)
                        #endif
                        return .commit
                    }
                    try db.execute(sql: "DETACH DATABASE workspace")
                }
                result.seconds = Date().timeIntervalSince(started)
                result.cpu = LoadTimings.threadCPU() - cpu
                built = result
            } catch {
                failure = error
            }
        }

        /// The content table (or view) and its rowid column an external-content FTS5 table names.
        static func source(_ definition: String) throws -> (content: String, rowid: String) {
            func option(_ name: String) -> String? {
                guard let range = definition.range(of: #"\b\#(name)\s*=\s*'([^']*)'"#, options: .regularExpression) else { return nil }
                let text = definition[range]
                guard let open = text.firstIndex(of: "'") else { return nil }
                return String(text[text.index(after: open)...].dropLast())
            }
            guard let content = option("content"), !content.isEmpty else {
                throw DatabaseError(resultCode: .SQLITE_ERROR, message: "not an external-content FTS5 table: \(definition)")
            }
            return (content, option("content_rowid") ?? "rowid")
        }
    }
}

/// One rewrite of the search at a time per workspace: the erasure holds it from its first step
/// to its end (so its pending row reads as running, not as stopped), the purge around its
/// rewrite. An advisory lock beside the database, dropped by the kernel when its holder dies.
enum SearchRewriteLock {
    static let job = "search-rewrite"

    static func acquire(beside databaseURL: URL) throws -> JobLock {
        try JobLock.acquire(job, beside: databaseURL, patience: 0.5, busy: SearchRewriteError.busy,
                            unavailable: { SearchRewriteError.lockUnavailable(path: $0, reason: $1) })
    }

    /// Whether an erasure or a rewrite is running on the workspace at `databaseURL`.
    static func isHeld(beside databaseURL: URL) -> Bool { JobLock.isHeld(job, beside: databaseURL) }
}

public enum SearchRewriteError: SysexitsError, Equatable, CustomStringConvertible {
    case busy(String)
    case lockUnavailable(path: String, reason: String)

    public var exitClass: ExitClass {
        switch self {
        case .busy: .busy
        case .lockUnavailable: .failure
        }
    }

    public var description: String {
        switch self {
        case .busy(let path):
            "An erasure or a rewrite of the search is running on this workspace (lock \(path)); try again when it finishes. Nothing was changed."
        case .lockUnavailable(let path, let reason):
            "Could not create the search lock \(path): \(reason); nothing was changed."
        }
    }
}

/// Phase times of a rewrite on standard error when `HANDLET_REWRITE_TIMINGS=1` (benchmarks only):
/// wall time beside the process's CPU, since on a shared machine the wall clock says more about
/// the neighbours.
struct RewriteTimings {
    private let enabled = ProcessInfo.processInfo.environment["HANDLET_REWRITE_TIMINGS"] == "1"
    private var last = Date()
    private var lastCPU = RewriteTimings.processCPU()

    static func processCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = Date(), cpu = Self.processCPU()
        FileHandle.standardError.write(Data(("rewrite: \(phase): \(String(format: "%.2f", now.timeIntervalSince(last))) s wall, "
            + "\(String(format: "%.2f", cpu - lastCPU)) s process CPU\n").utf8))
        last = now
        lastCPU = cpu
    }
}
