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
    /// `byTime`: ordered by the record's time (`timeColumn`), reading every hit to sort them: what
    /// `search --limit N` prints is the N newest, not the N stored last (issue 25).
    static func keyset(fts: String, snippetColumn: Int, query: SearchQuery, table: String, columns: String,
                       filter: SQLConditions, byTime timeColumn: String? = nil) -> KeysetQuery {
        // Walking by rowid, the snippet is made for each row of the page as it is reached; sorted by
        // time, every hit would get one before the sort (212,000 for `boiler*` at 1M calls), so the
        // page's snippets are read afterwards (`withSnippets`).
        let snippet = timeColumn == nil
            ? "snippet(\(fts), \(snippetColumn), \(HighlightedText.markersSQL), '…', 12)" : "''"
        return KeysetQuery(
            selectFrom: """
                SELECT hits.id, hits.snippet, \(columns)
                FROM hits CROSS JOIN \(table) ON \(table).id = hits.id
                LEFT JOIN contacts ON contacts.id = \(table).contact_id
                """,
            with: "WITH hits(id, snippet) AS (SELECT rowid, \(snippet) FROM \(fts) WHERE \(fts) MATCH ?)",
            withArguments: [query.matchExpression ?? "\"\""],
            conditions: filter, keys: timeColumn.map { [$0, "hits.id"] } ?? ["hits.id"], order: .descending)
    }

    /// The snippets of a page sorted by time. One MATCH over the page's rowid range: `rowid IN
    /// (…)` would run the MATCH (and a prefix's expansion) once per id (25 ms each at 1M), so the
    /// list is checked per hit (`+rowid`) and only the page's rows make a snippet.
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

    /// The page's hits with their snippets: made in the page query when it walks by rowid, read
    /// after it when it sorts by time.
    static func withSnippets(_ hits: [SearchHit], byTime: Bool, fts: String, column: Int, query: SearchQuery,
                             _ db: Database) throws -> [SearchHit] {
        guard byTime else { return hits }
        let snippets = try snippets(fts: fts, column: column, query: query, ids: hits.map(\.cursor), db)
        return hits.map { hit in
            var hit = hit
            hit.snippet = snippets[hit.cursor] ?? HighlightedText(marked: "")
            return hit
        }
    }

    static func countFrom(_ table: String) -> String { "hits CROSS JOIN \(table) ON \(table).id = hits.id" }
}

/// Search results in calls (summaries and transcripts), newest first, with the filter applied.
public struct CallSearchPage: KeysetList {
    public var query: SearchQuery
    public var filter: CallFilter
    public var clock: BrowseClock
    /// Newest by time first (every hit read and sorted) instead of by id; first pages only.
    var byTime = false
    /// Only records from this time (seconds) on: `Search.newest` widens it until the page is full.
    var newerThan: Int64?

    public init(query: SearchQuery, filter: CallFilter = CallFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery {
        SearchSQL.keyset(fts: "call_fts", snippetColumn: -1, query: query, table: "calls", columns: """
            calls.started_at AS at, calls.direction, calls.outcome, \(TextWithNUL.select("contacts.name", as: "contact_name")),
            \(TextWithNUL.select("CASE calls.direction WHEN 'inbound' THEN calls.from_number ELSE calls.to_number END", as: "other_party"))
            """, filter: conditions, byTime: byTime ? "calls.started_at" : nil)
    }

    private var conditions: SQLConditions {
        var conditions = filter.conditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "calls", from: range.from, until: range.until))
        }
        if let newerThan {
            conditions.add(SearchIdSpans.bounds(forTable: "calls", from: newerThan, until: nil))
            conditions.add("calls.started_at >= ?", [newerThan])
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try SearchSQL.withSnippets(try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit) { row in
                SearchHit(target: .call(row["id"]),
                          at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                          direction: try CallRow.decode(row["direction"]),
                          party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                          outcome: try CallRow.decode(row["outcome"]) as CallOutcome, channel: nil,
                          snippet: HighlightedText(marked: row["snippet"] ?? ""))
            }, byTime: byTime, fts: "call_fts", column: -1, query: query, db)
        }
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
    /// Newest by time first (every hit read and sorted) instead of by id; first pages only.
    var byTime = false
    /// Only records from this time (seconds) on: `Search.newest` widens it until the page is full.
    var newerThan: Int64?

    public init(query: SearchQuery, filter: MessageFilter = MessageFilter(), clock: BrowseClock) {
        self.query = query; self.filter = filter; self.clock = clock
    }

    public func cursor(of row: SearchHit) -> Int64 { row.cursor }

    var keyset: KeysetQuery {
        SearchSQL.keyset(fts: "message_fts", snippetColumn: 0, query: query, table: "messages", columns: """
            messages.thread_id, messages.sent_at AS at, messages.direction, messages.channel,
            \(TextWithNUL.select("contacts.name", as: "contact_name")),
            \(TextWithNUL.select("CASE messages.direction WHEN 'inbound' THEN messages.from_address ELSE messages.to_address END", as: "other_party"))
            """, filter: conditions, byTime: byTime ? "messages.sent_at" : nil)
    }

    private var conditions: SQLConditions {
        var conditions = filter.messageConditions(clock)
        if let range = filter.dateRange?.bounds(clock) {
            conditions.add(SearchIdSpans.bounds(forTable: "messages", from: range.from, until: range.until))
        }
        if let newerThan {
            conditions.add(SearchIdSpans.bounds(forTable: "messages", from: newerThan, until: nil))
            conditions.add("messages.sent_at >= ?", [newerThan])
        }
        return conditions
    }

    private func fetch(_ cursor: Int64?, _ comparison: KeysetQuery.Comparison, _ limit: Int, _ db: Database) throws -> [SearchHit] {
        guard query.matchExpression != nil else { return [] }
        return try Search.translatingErrors {
            try SearchSQL.withSnippets(try keyset.fetch(db, cursor: cursor.map { [$0] }, comparison: comparison, limit: limit) { row in
                SearchHit(target: .message(row["id"], thread: row["thread_id"]),
                          at: Date(timeIntervalSince1970: TimeInterval(row["at"] as Int64)),
                          direction: try CallRow.decode(row["direction"]),
                          party: row.storedTextIfPresent("contact_name") ?? row.storedText("other_party"),
                          outcome: nil, channel: try CallRow.decode(row["channel"]) as Channel,
                          snippet: HighlightedText(marked: row["snippet"] ?? ""))
            }, byTime: byTime, fts: "message_fts", column: 0, query: query, db)
        }
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
