import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Damage seen once is remembered (issue 28): the first process whose statement gets
/// SQLITE_CORRUPT writes `workspace.sqlite-damaged` beside the workspace, and from then on every
/// process refuses to write to it (at open, and before each write), even one whose own reads miss
/// the damaged pages, until `handlet check` (`WorkspaceCheck`) finds the file whole and removes it.
enum DamageMarker {
    static let suffix = "-damaged"

    static func path(for databasePath: String) -> String { databasePath + suffix }

    static func isPresent(for databasePath: String) -> Bool {
        var info = stat()
        return lstat(path(for: databasePath), &info) == 0
    }

    /// Best effort (a read-only folder cannot hold it; the damage is still refused in this process).
    static func record(for databasePath: String, what: String) {
        let marker = path(for: databasePath)
        guard !isPresent(for: databasePath) else { return }
        let temporary = marker + ".\(getpid())"
        let line = "\(ISO8601DateFormatter().string(from: Date())) pid \(getpid()): \(what)\n"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(line.utf8)) else { return }
        if rename(temporary, marker) != 0 { _ = unlink(temporary) }
    }

    static func clear(for databasePath: String) { _ = unlink(path(for: databasePath)) }
}

/// `handlet check`: SQLite's `quick_check`, one table (with its indexes) at a time so that it can
/// say how far it has got. A whole file clears the damage marker; a damaged one sets it.
public enum WorkspaceCheck {
    public struct Progress: Sendable, Equatable {
        public let done: Int
        public let total: Int
        public let table: String
    }

    public struct Report: Sendable, Equatable {
        public let tables: Int
        /// The marker an earlier process left was removed.
        public let clearedMarker: Bool
    }

    /// Checks the workspace at `url` read-only. Throws `.damaged` (65) when SQLite finds a problem
    /// (and leaves the marker); the first problems it reports are not shown (they are SQLite's
    /// words about pages), the `integrity_check` hint is.
    public static func run(at url: URL, progress: (Progress) throws -> Void) throws -> Report {
        let path = url.path
        try WorkspacePath.check(url)
        guard WorkspacePath.inspect(path) == .regularFile else { throw WorkspaceError.noWorkspace(path) }
        let header = try WorkspacePath.header(of: path, count: 16)
        guard header.elementsEqual("SQLite format 3\0".utf8) else { throw WorkspaceError.notADatabase(path) }
        var configuration = Workspace.configuration()
        configuration.readonly = true
        let hadMarker = DamageMarker.isPresent(for: path)
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let tables = try queue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rootpage")
            }
            for (index, table) in tables.enumerated() {
                try progress(Progress(done: index, total: tables.count, table: table))
                let found = try queue.read { db in
                    // A table name from sqlite_master, quoted as an SQL string.
                    try String.fetchAll(db, sql: "PRAGMA quick_check('\(table.replacingOccurrences(of: "'", with: "''"))')")
                }
                guard found == ["ok"] else {
                    DamageMarker.record(for: path, what: "quick_check of \(table): \(found.first ?? "?")")
                    throw WorkspaceError.damaged(path)
                }
            }
            // The whole file, for what no table holds (the freelist, pages no table claims).
            let whole = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(1)") }
            guard whole == ["ok"] else {
                DamageMarker.record(for: path, what: "quick_check: \(whole.first ?? "?")")
                throw WorkspaceError.damaged(path)
            }
            try progress(Progress(done: tables.count, total: tables.count, table: ""))
            DamageMarker.clear(for: path)
            return Report(tables: tables.count, clearedMarker: hadMarker)
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                DamageMarker.record(for: path, what: "\(error.message ?? "corrupt")")
            }
            throw Workspace.translate(error, path: path)
        }
    }
}

/// The bounded check a run makes of the pages it is about to change, before its first write
/// (issue 28): the purge (cron's `handlet purge`, and the one the console starts when it opens)
/// reads whole every row it will change, with SQLite's `cell_size_check` on so that each page
/// loaded has its cells checked as well as its header. A damaged page among them stops the run
/// with nothing written (and is remembered beside the file), where otherwise the batches before
/// the damaged one would have committed into a damaged file and deleted their audio.
///
/// Bounded by time: rows past `budget` are not read here. Each batch still reads its own rows
/// inside its transaction, so damage found later rolls that batch back; the check only moves the
/// refusal ahead of the first write for as much of the run as the budget covers.
enum BoundedCheck {
    /// Rows to read: `sql` selects them, bound to one JSON array of ids (run once, unbound, when
    /// `ids` is nil).
    struct Target {
        let sql: String
        let ids: [Int64]?
    }

    /// The rows of `table` whose id is in `ids`.
    static func rows(of table: String, ids: [Int64]) -> Target {
        Target(sql: "SELECT * FROM \"\(table)\" WHERE id IN (SELECT value FROM json_each(?))", ids: ids)
    }

    /// The newest `count` rows of `table` (by rowid): the pages a run that appends to it writes into.
    static func newest(_ count: Int, of table: String) -> Target {
        Target(sql: "SELECT * FROM \"\(table)\" ORDER BY rowid DESC LIMIT \(count)", ids: nil)
    }

    static let chunk = 500

    /// Reads every target's rows; returns whether all were read within `budget`. Throws SQLite's
    /// SQLITE_CORRUPT (the workspace's error translation remembers it and says "damaged").
    @discardableResult
    static func run(_ db: Database, _ targets: [Target], budget: TimeInterval) throws -> Bool {
        let deadline = Date().addingTimeInterval(budget)
        let before = try Bool.fetchOne(db, sql: "PRAGMA cell_size_check") ?? false
        try db.execute(sql: "PRAGMA cell_size_check = ON")
        defer { if !before { try? db.execute(sql: "PRAGMA cell_size_check = OFF") } }
        for target in targets {
            guard let targetIds = target.ids else {
                if Date() >= deadline { return false }
                _ = try Row.fetchAll(db, sql: target.sql)
                continue
            }
            var start = 0
            while start < targetIds.count {
                if Date() >= deadline { return false }
                let ids = targetIds[start..<min(start + chunk, targetIds.count)]
                // Every column copied out of SQLite: long text reaches its overflow pages too.
                _ = try Row.fetchAll(db, sql: target.sql, arguments: ["[" + ids.map(String.init).joined(separator: ",") + "]"])
                start += chunk
            }
        }
        return true
    }
}
