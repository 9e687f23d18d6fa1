import GRDB

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
        try db.execute(sql: "DELETE FROM fts_compaction_owed WHERE index_name = ?", arguments: [index.rawValue])
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
