import Foundation
import GRDB
import GRDBSQLite

/// How removed text leaves the full-text indexes' stored pages. Blanking or deleting a row fires
/// the index's trigger, which adds a delete marker: the row stops matching at once, but its words
/// stay in the index's older segments (and the marker holds them too) until those segments are
/// rewritten. SQLite 3.40's FTS5 has no `secure-delete`, and a `merge` picks segments by level,
/// not by content, so only rewriting the whole index is sure to drop them.
///
/// Two ways to rewrite it: `optimize` merges every segment into one; `rebuild` drops the index and
/// indexes the content table again. On the 1M-call, 3M-message workspace `rebuild` is the faster
/// (BENCHMARKS.md, data-subject requests: message_fts about 9x, call_fts about 11x), since
/// merging reads and decodes every doclist and its delete markers, while a rebuild only tokenises
/// the surviving text once. Both leave the same terms; every page either frees is zeroed
/// (`secure_delete`).
///
/// An erasure compacts at once (it must leave no trace): it records the indexes that held the
/// person as owed, and rewrites every owed index before it finishes. Deleting one item's text
/// (data minimisation), and the purge's removal of text past its period, only record that the
/// index is owed a compaction (`owe`): the words leave search at once, and the stored pages at
/// the next purge run by `handlet purge` (the daily scheduled run), which rewrites every owed
/// index after its last transaction (`SearchRewrite`, the write lock held only to put them in
/// place). The console's purge leaves the debt: a console opening never waits for a rewrite.
/// A kill before a rewrite commits leaves the debt recorded, so the next one pays it.
enum SearchCompaction {
    /// A full-text index whose stored segments can hold removed text.
    enum Index: String, CaseIterable, Sendable {
        case calls = "call_fts"
        case messages = "message_fts"
        case contacts = "contact_fts"
    }

    /// Records that `index` holds words of text removed since its last compaction.
    static func owe(_ db: Database, _ index: Index, nowSeconds: Int64) throws {
        try db.execute(sql: "INSERT OR IGNORE INTO fts_compaction_owed (index_name, since) VALUES (?, ?)",
                       arguments: [index.rawValue, nowSeconds])
    }

    /// The indexes owed a compaction.
    static func owed(_ db: Database) throws -> Set<Index> {
        Set(try String.fetchAll(db, sql: "SELECT index_name FROM fts_compaction_owed").compactMap(Index.init(rawValue:)))
    }

    /// Since when the oldest debt stands (nil: none), for the plan that says when it is paid.
    static func oldestDebt(_ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT MIN(since) FROM fts_compaction_owed")
    }

    /// Rewrites `index` from its content table, so no removed text's words are left in it, and
    /// clears its debt. Inside the caller's transaction.
    static func compact(_ db: Database, _ index: Index) throws {
        try db.execute(sql: "INSERT INTO \(index.rawValue)(\(index.rawValue)) VALUES ('rebuild')")
        try rebuilt(db, index)
        try db.execute(sql: "DELETE FROM fts_compaction_owed WHERE index_name = ?", arguments: [index.rawValue])
    }

    /// Counts one more rebuild or install of `index`, in the transaction that made it. An index
    /// rebuilt from scratch holds the same structure and totals records as before whenever its
    /// content tokenises to the same shape, so a rewrite's swap check (`SearchRewrite.fingerprint`)
    /// compares this count too: whatever replaced the index meanwhile, the count moved.
    static func rebuilt(_ db: Database, schema: String = "main", _ index: Index) throws {
        try db.execute(sql: """
            INSERT INTO \(schema).fts_index_generation (index_name, generation) VALUES (?, 1)
            ON CONFLICT (index_name) DO UPDATE SET generation = generation + 1
            """, arguments: [index.rawValue])
    }

    /// How many times `index` was rebuilt or installed (`rebuilt`), in `schema` ("main", or the
    /// workspace attached to a scratch database).
    static func generation(_ db: Database, schema: String = "main", _ index: Index) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT generation FROM \(schema).fts_index_generation WHERE index_name = ?",
                           arguments: [index.rawValue]) ?? 0
    }

    /// Migration `dsr-fts-index-generations` (issue 23, session 12): one count per full-text index
    /// of its rebuilds and installs. Nothing personal; a new table, no row touched.
    static func migrateGenerations(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE fts_index_generation (
                index_name TEXT PRIMARY KEY CHECK (index_name IN ('call_fts', 'message_fts', 'contact_fts')),
                generation INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// Migration `dsr-fts-compaction-owed` (issue 23): the indexes owed a compaction. One row per
    /// index at most; nothing personal.
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE fts_compaction_owed (
                index_name TEXT PRIMARY KEY CHECK (index_name IN ('call_fts', 'message_fts', 'contact_fts')),
                since INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)
    }
}

/// What the search still owes (`SearchCompaction`): removed text whose words the stored pages of
/// an index hold until `handlet purge` rewrites it, and erasures a stopped process left unfinished
/// (their person's rows are gone; the audio, the indexes and the -wal wait for
/// `handlet dsr erase --finish`). Shown where the user looks (the Overview, Retention,
/// `handlet retention show`) until it is paid. Nothing personal: index names, a time, a count.
public struct SearchDebt: Sendable, Equatable, Codable {
    /// The indexes owed a rewrite, by what they search: "calls", "messages", "contacts".
    public var indexes: [String] = []
    /// Since when the oldest is owed; nil when nothing is.
    public var since: Date?
    /// Erasures committed but not finished, whose process stopped.
    public var interruptedErasures = 0
    /// Erasures committed and still running (their process holds `SearchRewriteLock`): nothing
    /// to do, they finish by themselves, paying every owed index as they do.
    public var runningErasures = 0

    public init() {}

    init(runningErasures: Int) { self.runningErasures = runningErasures }

    public static let none = SearchDebt()
    public var isEmpty: Bool { indexes.isEmpty && interruptedErasures == 0 }

    /// The command that pays it: the erasures' when one waits (finishing them rewrites every
    /// owed index too), else the purge's.
    public var command: String { interruptedErasures > 0 ? "handlet dsr erase --finish" : "handlet purge" }

    /// What is owed and since when ("removed text in the stored search of messages since 8 Dec
    /// 2026"); nil when nothing is.
    public func what(clock: BrowseClock) -> String? {
        if interruptedErasures > 0 {
            return "\(interruptedErasures == 1 ? "an erasure" : "\(interruptedErasures) erasures") stopped before finishing "
                + "(audio, search and -wal not yet scrubbed)"
        }
        if runningErasures > 0 {
            return "\(runningErasures == 1 ? "an erasure is" : "\(runningErasures) erasures are") running "
                + "(audio, search and -wal being scrubbed)"
        }
        guard let since, !indexes.isEmpty else { return nil }
        return "removed text in the stored search of \(Self.list(indexes)) since \(DisplayText.date(since, clock: clock))"
    }

    /// What pays it: "run `handlet purge` to rewrite it".
    public var pays: String {
        if interruptedErasures == 0 && runningErasures > 0 { return "it finishes by itself" }
        return interruptedErasures > 0 ? "run `\(command)` to finish" : "run `\(command)` to rewrite it"
    }

    /// One line a person reads: what is owed, since when, and the command that pays it.
    public func line(clock: BrowseClock) -> String? {
        what(clock: clock).map { what in what.prefix(1).uppercased() + what.dropFirst() + ": " + pays }
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    private enum CodingKeys: String, CodingKey { case indexes, since, interruptedErasures, runningErasures, command }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        indexes = try container.decode([String].self, forKey: .indexes)
        since = try container.decodeIfPresent(Date.self, forKey: .since)
        interruptedErasures = try container.decode(Int.self, forKey: .interruptedErasures)
        runningErasures = try container.decodeIfPresent(Int.self, forKey: .runningErasures) ?? 0
    }

    /// With the command that pays it, when anything is owed.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(indexes, forKey: .indexes)
        try container.encodeIfPresent(since, forKey: .since)
        try container.encode(interruptedErasures, forKey: .interruptedErasures)
        try container.encode(runningErasures, forKey: .runningErasures)
        if !isEmpty { try container.encode(command, forKey: .command) }
    }

    private static let labels: [SearchCompaction.Index: String] = [.calls: "calls", .messages: "messages", .contacts: "contacts"]

    /// One statement (the Overview counts its reads); pending erasures are running while their
    /// process holds the search's lock (`SearchRewriteLock`), and then owe nothing: they rewrite
    /// every owed index before they end.
    static func read(_ db: Database) throws -> SearchDebt {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT group_concat(index_name) FROM fts_compaction_owed), (SELECT MIN(since) FROM fts_compaction_owed),
                   (SELECT COUNT(*) FROM erasure_pending)
            """) else { return .none }
        var debt = SearchDebt()
        let owed = Set(((row[0] as String?) ?? "").split(separator: ",").compactMap { SearchCompaction.Index(rawValue: String($0)) })
        debt.indexes = SearchCompaction.Index.allCases.filter(owed.contains).compactMap { labels[$0] }
        debt.since = (row[1] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        let pending: Int = row[2] ?? 0
        if pending > 0, let file = sqlite3_db_filename(db.sqliteConnection, "main"),
           SearchRewriteLock.isHeld(beside: URL(fileURLWithPath: String(cString: file))) {
            return SearchDebt(runningErasures: pending)
        }
        debt.interruptedErasures = pending
        return debt
    }
}

extension WorkspaceQuery where Value == SearchDebt {
    /// What the search owes (`SearchDebt`).
    public static var searchDebt: Self { .reading(.browse) { db in try SearchDebt.read(db) } }
}
