import Foundation
import GRDB

/// A clear, one-line reason a search could not run.
public struct SearchError: SysexitsError, Hashable, CustomStringConvertible {
    public let description: String
    /// FTS5 could not run the words given: the argument is at fault, so it is a usage error.
    public var exitClass: ExitClass { .usage }
}

/// The SQL of a search page: the MATCH in a CTE (DESIGN §9) whose hits are the outer loop
/// (`CROSS JOIN` fixes the join order), walked by FTS rowid descending, so the newest hits come
/// first without ranking every match, and the filters are checked per hit until the page is full.
/// `ORDER BY rank` over a common word would take seconds. The flattened CTE hands keyset bounds on
/// `hits.id` to FTS5 as rowid bounds, so a later page starts where the last one ended.
enum SearchSQL {
    /// `withSnippets: false` leaves the snippet empty, for `newest`, which may read many more
    /// hits than it keeps (212,000 snippets for `boiler*` at 1M calls would take 2.4 s).
    static func keyset(fts: String, snippetColumn: Int, withSnippets: Bool = true, query: SearchQuery, table: String,
                       columns: String, filter: SQLConditions) -> KeysetQuery {
        let snippet = withSnippets ? "snippet(\(fts), \(snippetColumn), \(HighlightedText.markersSQL), '…', 12)" : "''"
        return KeysetQuery(
            selectFrom: """
                SELECT hits.id, hits.snippet, \(columns)
                FROM hits CROSS JOIN \(table) ON \(table).id = hits.id
                LEFT JOIN contacts ON contacts.id = \(table).contact_id
                """,
            with: "WITH hits(id, snippet) AS (SELECT rowid, \(snippet) FROM \(fts) WHERE \(fts) MATCH ?)",
            withArguments: [query.matchExpression ?? "\"\""],
            conditions: filter, keys: ["hits.id"], order: .descending)
    }

    /// The `limit` newest hits by time (`handlet search`), in one walk down the ids: a prefix's
    /// MATCH costs ~30 ms at 1M whatever the bounds (FTS5 merges every matching term's doclist),
    /// so the walk runs once and stops as soon as no lower id can be newer than the hits it keeps:
    /// below the lowest id of the oldest kept hit's day and every later day (`SearchIdSpans`).
    /// With ids in time order that is about `limit` rows; out of order, every hit. Snippets are
    /// read for the kept hits afterwards, in one more MATCH.
    static func newest(_ keyset: KeysetQuery, table: String, fts: String, snippetColumn: Int, query: SearchQuery,
                       limit: Int, in db: Database, decode: (GRDB.Row) throws -> SearchHit) throws -> [SearchHit] {
        guard limit > 0 else { return [] }
        let floors = try SearchIdSpans.floors(forTable: table, in: db)
        let newer: (SearchHit, SearchHit) -> Bool = { $0.at != $1.at ? $0.at > $1.at : $0.cursor > $1.cursor }
        var kept: [SearchHit] = []
        try keyset.walk(db) { row in
            let hit = try decode(row)
            let index = kept.firstIndex { newer(hit, $0) } ?? kept.endIndex
            if index < limit {
                kept.insert(hit, at: index)
                if kept.count > limit { kept.removeLast() }
            }
            guard kept.count == limit, let oldest = kept.last,
                  let floor = floors?.floor(onOrAfter: SearchIdSpans.day(of: Int64(oldest.at.timeIntervalSince1970))) else { return true }
            return hit.cursor > floor
        }
        let snippets = try self.snippets(fts: fts, column: snippetColumn, query: query, ids: kept.map(\.cursor), db)
        return kept.map { hit in
            var hit = hit
            hit.snippet = snippets[hit.cursor] ?? HighlightedText(marked: "")
            return hit
        }
    }

    /// The snippets of a few hits. One MATCH over their rowid range: `rowid IN (…)` would run the
    /// MATCH (and a prefix's expansion) once per id, so the list is checked per hit (`+rowid`)
    /// and only these rows make a snippet.
    static func snippets(fts: String, column: Int, query: SearchQuery, ids: [Int64], _ db: Database) throws -> [Int64: HighlightedText] {
        guard let low = ids.min(), let high = ids.max(), let match = query.matchExpression else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var arguments: StatementArguments = [match, low, high]
        arguments += StatementArguments(ids)
        let rows = try GRDB.Row.fetchCursor(db, sql: """
            SELECT rowid, snippet(\(fts), \(column), \(HighlightedText.markersSQL), '…', 12)
            FROM \(fts) WHERE \(fts) MATCH ? AND rowid BETWEEN ? AND ? AND +rowid IN (\(marks))
            """, arguments: arguments)
        var snippets: [Int64: HighlightedText] = [:]
        while let row = try rows.next() { snippets[row[0]] = HighlightedText(marked: row[1] ?? "") }
        return snippets
    }

    static func countFrom(_ table: String) -> String { "hits CROSS JOIN \(table) ON \(table).id = hits.id" }
}

/// Search results in calls (summaries and transcripts), newest first, with the filter applied.
public struct CallSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: CallFilter
    public var clock: BrowseClock

    public init(query: SearchQuery, filter: CallFilter = CallFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery { keyset(withSnippets: true) }

    private func keyset(withSnippets: Bool) -> KeysetQuery {
        SearchSQL.keyset(fts: "call_fts", snippetColumn: -1, withSnippets: withSnippets, query: query, table: "calls", columns: """
            calls.started_at AS at, calls.direction, calls.outcome, \(TextWithNUL.select("contacts.name", as: "contact_name")),
            \(TextWithNUL.select("CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END", as: "other_party"))
            """, filter: conditions)
    }

    private var conditions: SQLConditions {
        var conditions = filter.conditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "calls", from: range.from, until: range.until))
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit, decode: Self.hit)
        }
    }

    /// The `limit` newest by time, not by id (`handlet search`).
    func newest(limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try SearchSQL.newest(keyset(withSnippets: false), table: "calls", fts: "call_fts", snippetColumn: -1, query: query,
                                 limit: limit, in: db, decode: Self.hit)
        }
    }

    private static func hit(_ row: GRDB.Row) throws -> SearchHit {
        SearchHit(target: .call(row["id"]),
                  at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                  direction: try CallRow.decode(row["direction"]),
                  party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                  outcome: try CallRow.decode(row["outcome"]) as CallOutcome, channel: nil,
                  snippet: HighlightedText(marked: row["snippet"] ?? ""))
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [SearchHit] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(store.db, from: SearchSQL.countFrom("calls")) }
    }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
}

/// Search results in message bodies, newest first, with the filter applied. Same plan as calls.
public struct MessageSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: MessageFilter
    public var clock: BrowseClock

    public init(query: SearchQuery, filter: MessageFilter = MessageFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery { keyset(withSnippets: true) }

    private func keyset(withSnippets: Bool) -> KeysetQuery {
        SearchSQL.keyset(fts: "message_fts", snippetColumn: 0, withSnippets: withSnippets, query: query, table: "messages", columns: """
            messages.thread_id, messages.sent_at AS at, messages.direction, messages.channel,
            \(TextWithNUL.select("contacts.name", as: "contact_name")),
            \(TextWithNUL.select("CASE messages.direction WHEN 'inbound' THEN messages.from_address ELSE messages.to_address END", as: "other_party"))
            """, filter: conditions)
    }

    private var conditions: SQLConditions {
        var conditions = filter.messageConditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "messages", from: range.from, until: range.until))
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit, decode: Self.hit)
        }
    }

    /// The `limit` newest by time, not by id (`handlet search`).
    func newest(limit: Int, in db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try SearchSQL.newest(keyset(withSnippets: false), table: "messages", fts: "message_fts", snippetColumn: 0, query: query,
                                 limit: limit, in: db, decode: Self.hit)
        }
    }

    private static func hit(_ row: GRDB.Row) throws -> SearchHit {
        SearchHit(target: .message(row["id"], thread: row["thread_id"]),
                  at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                  direction: try CallRow.decode(row["direction"]),
                  party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                  outcome: nil, channel: try CallRow.decode(row["channel"]) as Channel,
                  snippet: HighlightedText(marked: row["snippet"] ?? ""))
    }

    public func rows(_ request: KeysetRequest<Int64>, in store: StoreReader) throws -> [SearchHit] {
        try fetch(request.keyset.cursor, request.keyset.comparison, request.limit, store.db)
    }

    public func count(in store: StoreReader) throws -> Int {
        guard query.matchExpression != nil else { return 0 }
        return try Search.translatingErrors { try keyset.count(store.db, from: SearchSQL.countFrom("messages")) }
    }

    func firstPageSQL(limit: Int) -> (sql: String, arguments: StatementArguments) { keyset.firstPageSQL(limit: limit) }
}
